import type { ApiKey, ApiKeyRole } from "../generated/prisma/client";
import { GraphQLError } from "graphql";
import { roleAllows, type CredentialProblem } from "../auth/service";
import type { Actor } from "../auth/actor";
import type { ReviewPublisher } from "../config";
import type { ClaimFeed, ConnectionBudget } from "../live/feed";
import type { Logger } from "../logger";
import type { Services } from "../services";
import type { Loaders } from "./loaders";

export interface Context {
  services: Services;
  loaders: Loaders;
  /** The caller's API key, if a valid one was sent. Reads need none. */
  apiKey: ApiKey | null;
  /** Set when a credential was sent but did not authenticate: the request runs anonymously. */
  credentialProblem?: CredentialProblem;
  requestId: string;
  log: Logger;
  /** Aborted when the request times out: database reads still running are cancelled. */
  signal?: AbortSignal;
  /**
   * Marked once the operation is known to be a mutation (graphql/writes.ts): the response cache must
   * then be dropped. An object, because Apollo hands plugins a shallow copy of the context.
   */
  writes: { happened: boolean };
  /** Who publishes ClaimReviews and where (configuration); null: none are exported. */
  reviewPublisher: ReviewPublisher | null;
  /** Live claim changes; set on WebSocket operations only. */
  feed?: ClaimFeed;
  /** A subscription's connection budget, and the cursor of the event being executed (WebSocket only). */
  live?: { budget: ConnectionBudget; cursor?: string };
}

const PROBLEMS: Record<CredentialProblem, string> = {
  MALFORMED: "the Authorization header is not `Bearer <key>` with a claimgraph key (cgk_…)",
  UNKNOWN: "the API key is not known",
  REVOKED: "the API key has been revoked",
};

/**
 * The key an `Authorization` header names. A credential that does not authenticate is not an error
 * here: the request goes on anonymously (public reads keep working with a stale key) and the problem
 * is reported where it matters: on mutations (UNAUTHENTICATED) and as a warning on every answer.
 */
export async function credentialsFrom(
  authorization: string | undefined,
  services: Services,
): Promise<Pick<Context, "apiKey" | "credentialProblem">> {
  if (authorization === undefined) return { apiKey: null };
  const [scheme, secret, ...rest] = authorization.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== "bearer" || !secret || rest.length) return { apiKey: null, credentialProblem: "MALFORMED" };
  const result = await services.apiKeys.authenticate(secret);
  return "apiKey" in result ? { apiKey: result.apiKey } : { apiKey: null, credentialProblem: result.problem };
}

/** The `extensions.warnings` entry of an answer to a request whose credential did not authenticate. */
export function credentialWarning(problem: CredentialProblem) {
  return { code: "INVALID_CREDENTIALS", reason: problem, message: `${PROBLEMS[problem]}; the request ran without a key` };
}

/** Guards a mutation: UNAUTHENTICATED without a valid key, FORBIDDEN with too weak a role. */
export async function requireRole(ctx: Context, role: ApiKeyRole): Promise<Actor> {
  if (!ctx.apiKey) {
    const problem = ctx.credentialProblem;
    throw new GraphQLError(
      problem ? `${PROBLEMS[problem]}; this operation needs a valid API key` : "this operation needs an API key: send Authorization: Bearer <key>",
      { extensions: { code: "UNAUTHENTICATED", reason: problem ?? "MISSING" } },
    );
  }
  if (!roleAllows(ctx.apiKey.role, role)) {
    throw new GraphQLError(`this operation needs the ${role} role; the key "${ctx.apiKey.name}" has ${ctx.apiKey.role}`, {
      extensions: { code: "FORBIDDEN" },
    });
  }
  await ctx.services.apiKeys.touch(ctx.apiKey);
  return { name: ctx.apiKey.name, apiKeyId: ctx.apiKey.id };
}
