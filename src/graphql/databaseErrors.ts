import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { RETRY_AFTER_SECONDS, databaseTrouble, type DatabaseTrouble } from "../db/errors";
import type { Context } from "./context";

const MESSAGES: Record<DatabaseTrouble, string> = {
  OVERLOADED: "the server is at capacity (no database connection free in time); retry after",
  DATABASE_UNAVAILABLE: "the database is unavailable (restarting or unreachable); retry after",
};

const message = (trouble: DatabaseTrouble) => `${MESSAGES[trouble]} ${RETRY_AFTER_SECONDS[trouble]} s`;

/** The GraphQL error a client gets for a database trouble (context creation, before Apollo formats). */
export function troubleError(trouble: DatabaseTrouble): GraphQLError {
  return new GraphQLError(message(trouble), {
    extensions: { code: trouble, http: { status: 503, headers: new HeaderMap([["retry-after", String(RETRY_AFTER_SECONDS[trouble])]]) } },
  });
}

/** Apollo's formatError: a database trouble reaches the client as its stable code and a plain message, no driver text. */
export function formatTrouble(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const trouble = databaseTrouble(unwrapResolverError(error));
  if (!trouble) return formatted;
  return { message: message(trouble), ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: trouble } };
}

/**
 * A request that met a database trouble (the pool full, the primary restarting) is answered 503
 * with Retry-After, whatever else it read: its data is incomplete and a retry will do better.
 * "Unavailable" wins over "overloaded" (its Retry-After is the longer).
 */
export const databaseTroubleStatus: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        const troubles = new Set((errors ?? []).map((e) => databaseTrouble(unwrapResolverError(e))));
        const trouble = troubles.has("DATABASE_UNAVAILABLE") ? "DATABASE_UNAVAILABLE" : troubles.has("OVERLOADED") ? "OVERLOADED" : null;
        if (trouble) {
          response.http.status = 503;
          response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS[trouble]));
        }
        shedPartialAnswer(response.body);
      },
    };
  },
};

const SHED = new Set(["OVERLOADED", "DATABASE_UNAVAILABLE"]);

/**
 * A 503 answer carries its errors, one of each kind, and no data: a request refused part-way (a list that
 * outgrew its share of the cost budget) answered 12 MB of nulls beside thousands of identical errors
 * (attack round 6's verification), and a client told to retry has no use for either.
 */
function shedPartialAnswer(body: GraphQLResponse["body"]): void {
  if (body.kind !== "single") return;
  const result = body.singleResult;
  if (!result.errors?.some((e) => SHED.has(String(e.extensions?.code)))) return;
  const seen = new Set<string>();
  result.errors = result.errors.filter((e) => {
    const code = String(e.extensions?.code);
    return !seen.has(code) && Boolean(seen.add(code));
  });
  delete result.data;
}
