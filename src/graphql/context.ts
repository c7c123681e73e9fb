import type { ApiKey, ApiKeyRole } from "../generated/prisma/client";
import { GraphQLError } from "graphql";
import { roleAllows } from "../auth/service";
import type { Actor } from "../claim/service";
import type { ReviewPublisher } from "../config";
import type { Logger } from "../logger";
import type { Services } from "../services";
import type { Loaders } from "./loaders";

export interface Context {
  services: Services;
  loaders: Loaders;
  /** The caller's API key, if a valid one was sent. Reads need none. */
  apiKey: ApiKey | null;
  requestId: string;
  log: Logger;
  /**
   * Marked once the operation is known to be a mutation: the response cache must then be dropped.
   * An object, because Apollo hands plugins a shallow copy of the context.
   */
  writes: { happened: boolean };
  /** Who publishes ClaimReviews and where (configuration); null: none are exported. */
  reviewPublisher: ReviewPublisher | null;
}

/** Guards a mutation: UNAUTHENTICATED without a valid key, FORBIDDEN with too weak a role. */
export async function requireRole(ctx: Context, role: ApiKeyRole): Promise<Actor> {
  if (!ctx.apiKey) {
    throw new GraphQLError("this operation needs an API key: send Authorization: Bearer <key>", {
      extensions: { code: "UNAUTHENTICATED" },
    });
  }
  if (!roleAllows(ctx.apiKey.role, role)) {
    throw new GraphQLError(`this operation needs the ${role} role; the key "${ctx.apiKey.name}" has ${ctx.apiKey.role}`, {
      extensions: { code: "FORBIDDEN" },
    });
  }
  await ctx.services.apiKeys.touch(ctx.apiKey);
  return { name: ctx.apiKey.name, apiKeyId: ctx.apiKey.id };
}
