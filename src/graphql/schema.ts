import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLScalarType, GraphQLSchema } from "graphql";
import { DateTimeISOResolver, JSONObjectResolver, URLResolver } from "graphql-scalars";
import { articleResolvers } from "../article/resolvers";
import { authResolvers } from "../auth/resolvers";
import { claimResolvers } from "../claim/resolvers";
import { eventResolvers } from "../event/resolvers";
import type { Resolvers } from "../generated/graphql";
import { liveResolvers } from "../live/resolvers";
import { sourceResolvers } from "../source/resolvers";
import { proposalResolvers } from "../proposal/resolvers";
import { nodeResolvers } from "./node";
import { readSchemaFile } from "./sdl";

/**
 * A graphql-scalars scalar's rules under the SDL's own name and description: passing the scalar
 * itself would also bring its description and @specifiedBy, and the served schema would differ
 * from schema.graphql (URL would claim RFC 3986 where only http(s) URLs are meant).
 */
function rulesOf(scalar: GraphQLScalarType): GraphQLScalarType {
  const { serialize, parseValue, parseLiteral } = scalar;
  return { serialize, parseValue, parseLiteral } as unknown as GraphQLScalarType;
}

const baseResolvers: Resolvers = {
  // DateTime's rules, serialized as an ISO string rather than a Date (whose toJSON takes
  // JSON.stringify off its fast path).
  DateTime: rulesOf(DateTimeISOResolver),
  URL: rulesOf(URLResolver),
  JSONObject: rulesOf(JSONObjectResolver),
};

export function buildSchema(typeDefs = readSchemaFile()): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs,
    resolvers: [baseResolvers, nodeResolvers, claimResolvers, sourceResolvers, articleResolvers, eventResolvers, authResolvers, proposalResolvers, liveResolvers],
    // A resolver for a field the SDL does not have is a bug; fail at start, not at query time.
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
}

let served: GraphQLSchema | undefined;

/** The served schema, built once per process: Apollo and the WebSocket server share it (a build takes ~0.3 s). */
export function servedSchema(): GraphQLSchema {
  return (served ??= buildSchema());
}
