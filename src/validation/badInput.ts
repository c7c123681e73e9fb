import { GraphQLError } from "graphql";

/** Bad arguments the client must fix: a GraphQL error with code BAD_USER_INPUT (HTTP 200, per GraphQL over HTTP). */
export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", ...(argument ? { argument } : {}) } });
}
