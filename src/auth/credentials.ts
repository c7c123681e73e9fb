import { GraphQLError } from "graphql";
import type { ApiKey, ApiKeyRole } from "../generated/prisma/client";
import type { Context, Services } from "../graphql/context";
import type { Actor } from "./actor";
import { roleAllows, type CredentialProblem } from "./service";

declare module "../graphql/context" {
  interface Context {
    /** The caller's API key, if a valid one was sent. Reads need none. */
    apiKey: ApiKey | null;
    /** Set when a credential was sent but did not authenticate: the request runs anonymously. */
    credentialProblem?: CredentialProblem;
  }
}

const PROBLEMS: Record<CredentialProblem, string> = {
  MALFORMED: "the Authorization header is not `Bearer <key>` with a claimgraph key (cgk_…)",
  UNKNOWN: "the API key is not known",
  REVOKED: "the API key has been revoked",
};

/** The bearer token of an `Authorization` header, or undefined when the header is not `Bearer <token>`. */
function bearerToken(authorization: string): string | undefined {
  const [scheme, secret, ...rest] = authorization.trim().split(/\s+/);
  return scheme?.toLowerCase() === "bearer" && secret && !rest.length ? secret : undefined;
}

/**
 * Whether a request carries an active EDITOR or ADMIN key (no database call): only those wait for a
 * connection under load, so the desk's verdicts go through a flood. Anonymous requests, VIEWER keys
 * (reads only) and invented, malformed or revoked credentials are shed.
 */
export function carriesWriterKey(authorization: string | undefined, services: Pick<Services, "apiKeys">): boolean {
  const secret = authorization === undefined ? undefined : bearerToken(authorization);
  return secret !== undefined && services.apiKeys.mayWrite(secret);
}

/**
 * The key an `Authorization` header names. A credential that does not authenticate is not an error
 * here: the request goes on anonymously (public reads keep working with a stale key) and the problem
 * is reported where it matters: on mutations (UNAUTHENTICATED) and as a warning on every answer.
 */
export async function credentialsFrom(
  authorization: string | undefined,
  services: Pick<Services, "apiKeys">,
): Promise<Pick<Context, "apiKey" | "credentialProblem">> {
  if (authorization === undefined) return { apiKey: null };
  const secret = bearerToken(authorization);
  if (secret === undefined) return { apiKey: null, credentialProblem: "MALFORMED" };
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
