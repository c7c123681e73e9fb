import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Config } from "../config";
import { cachePolicyPlugin } from "../graphql/cachePolicy";
import { CostBudget, admissionPlugin } from "../graphql/admission";
import { databaseTroubleStatus, formatTrouble } from "../graphql/databaseErrors";
import { databaseTrouble } from "../db/errors";
import { credentialWarning } from "../auth/credentials";
import type { Context } from "../graphql/context";
import { boundedDocumentStore } from "../graphql/documentStore";
import { costLimitPlugin } from "../graphql/cost";
import { limitRules, type LimitOptions } from "../graphql/limits";
import { SANDBOX_DOCUMENT, SANDBOX_HEADERS } from "../graphql/sandbox";
import { servedSchema } from "./schema";
import { writeDetection } from "../graphql/writes";

export type ServerOptions = Pick<Config, "production" | "introspection" | "sandbox" | "MAX_TOKENS" | "CACHE_DEFAULT_MAX_AGE" | "maxInflightCost"> & LimitOptions;

// Codes we raise on purpose; anything else reaching a client is an unexpected failure.
const CLIENT_CODES = new Set([
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "QUERY_COST_LIMIT_EXCEEDED",
  "TOO_MANY_SUBSCRIPTIONS",
  "RATE_LIMITED",
  "CURSOR_EXPIRED",
  "REPLAY_TOO_LARGE",
  "OVERLOADED",
  "WORK_BUDGET_EXCEEDED",
  "DATABASE_UNAVAILABLE",
]);

/**
 * Logs every request (id, operation, duration) and masks unexpected errors: the client gets a
 * generic message and the request id, the log gets the real error. Apollo itself only strips stacks.
 * In production, schema hints are also cut from variable coercion errors, which Apollo's
 * hideSchemaDetailsFromClientErrors does not reach.
 */
function observability(production: boolean): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, operationName }) {
          // A timed-out request's cancelled statements fail by design; the timeout itself was logged.
          if (contextValue.signal?.aborted) return;
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (isClientError(original)) continue;
            // Overload and an unreachable database are answered 503 (graphql/databaseErrors.ts), not bugs.
            if (databaseTrouble(original)) {
              contextValue.log.warn({ err: { message: (original as Error).message }, operationName }, "database unavailable or overloaded");
              continue;
            }
            contextValue.log.error({ err: original, path: error.path, operationName }, "unexpected error");
          }
        },
        async willSendResponse({ response, operationName, errors }) {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          contextValue.log.info({ operationName, durationMs: Math.round(durationMs * 10) / 10, errors: errors?.length ?? 0 }, "graphql request");
          if (response.body.kind !== "single") return;
          if (contextValue.credentialProblem) {
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, warnings: [credentialWarning(contextValue.credentialProblem)] };
            response.http.headers.set("www-authenticate", `Bearer error="invalid_token"`);
          }
          if (!response.body.singleResult.errors) return;
          const status = response.http.status ?? 200;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => mask(e, contextValue.requestId, status, production));
        },
      };
    },
  };
}

/**
 * Apollo's own request errors (persisted-query mistakes, …) carry an HTTP 4xx status but no code,
 * so Apollo formats them as INTERNAL_SERVER_ERROR; they are the client's mistakes.
 */
const isRequestError = (status: number | undefined) => status !== undefined && status >= 400 && status < 500;

export function isClientError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  const code = error.extensions?.code;
  if (code === undefined) return isRequestError((error.extensions?.http as { status?: number } | undefined)?.status);
  return CLIENT_CODES.has(String(code));
}

const HINT = "Did you mean ";

/**
 * Cuts graphql-js's "Did you mean …?" hints (with the whitespace before each) in one linear pass.
 * Messages quote the client's values, so a regex like /\s*Did you mean [^?]*\?/g was quadratic on a
 * long run of spaces in a variable.
 */
export function withoutSchemaHints(message: string): string {
  let out = "";
  let from = 0;
  for (let at = message.indexOf(HINT); at >= 0; at = message.indexOf(HINT, from)) {
    const end = message.indexOf("?", at + HINT.length);
    if (end < 0) break;
    out += message.slice(from, at).trimEnd();
    from = end + 1;
  }
  return out + message.slice(from);
}

/** What a client sees of an error: our own codes as they are, anything else as a generic message. */
export function mask(error: GraphQLFormattedError, requestId: string, status: number, production: boolean): GraphQLFormattedError {
  const formatted = String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR");
  const code = formatted === "INTERNAL_SERVER_ERROR" && isRequestError(status) ? "BAD_REQUEST" : formatted;
  if (CLIENT_CODES.has(code)) {
    const message = production ? withoutSchemaHints(error.message) : error.message;
    return { ...error, message, extensions: { ...error.extensions, code } };
  }
  return {
    message: `Internal server error. Quote request id ${requestId} when reporting it.`,
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
  };
}

/** Subscriptions are not served over HTTP POST/GET: refuse them before execution, as the client's mistake. */
const noSubscriptionsOverHttp: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== "subscription") return;
        throw new GraphQLError("subscriptions are not served over HTTP; open a WebSocket to /graphql (graphql-transport-ws protocol)", {
          extensions: { code: "BAD_REQUEST", http: { status: 400 } },
        });
      },
    };
  },
};

/** Builds the Apollo server (schema, plugins, limits) without any I/O. */
/** `budget`: the process's in-flight cost budget, when other routes (the ClaimReview feed) share it. */
export function buildServer(options: ServerOptions, budget = new CostBudget(options.maxInflightCost)): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema: servedSchema(),
    introspection: options.introspection,
    includeStacktraceInErrorResponses: !options.production,
    hideSchemaDetailsFromClientErrors: options.production,
    parseOptions: { maxTokens: options.MAX_TOKENS },
    // Parsed documents keep their source text alive (comments and padding included): count it.
    documentStore: boundedDocumentStore(),
    validationRules: limitRules(options),
    csrfPrevention: true,
    formatError: formatTrouble,
    allowBatchedHttpRequests: false,
    // main.ts owns the shutdown order (HTTP, then Apollo, then the pool); Apollo must not race it.
    stopOnTerminationSignals: false,
    plugins: [
      writeDetection,
      observability(options.production),
      databaseTroubleStatus,
      noSubscriptionsOverHttp,
      // Per-type @cacheControl hints become the response's Cache-Control header (read by ResponseCache),
      // computed once per document rather than by Apollo's per-field plugin.
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin(options.CACHE_DEFAULT_MAX_AGE),
      costLimitPlugin(options.MAX_COST),
      admissionPlugin(budget),
      options.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, document: SANDBOX_DOCUMENT, headers: SANDBOX_HEADERS })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
