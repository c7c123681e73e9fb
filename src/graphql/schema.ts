import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLScalarType, GraphQLSchema } from "graphql";
import { DateTimeISOResolver, JSONObjectResolver, URLResolver } from "graphql-scalars";
import { articleResolvers } from "../article/resolvers";
import { authResolvers } from "../auth/resolvers";
import { claimResolvers } from "../claim/resolvers";
import { eventResolvers } from "../event/resolvers";
import type { Resolvers } from "../generated/graphql";
import { sourceResolvers } from "../source/resolvers";
import { proposalResolvers } from "../proposal/resolvers";
import { nodeResolvers } from "./node";
import { readSchemaFile } from "./sdl";

const baseResolvers: Resolvers = {
  // DateTime's rules, serialized as an ISO string rather than a Date (whose toJSON takes
  // JSON.stringify off its fast path). Only the functions: the SDL keeps the type's name.
  DateTime: {
    serialize: DateTimeISOResolver.serialize,
    parseValue: DateTimeISOResolver.parseValue,
    parseLiteral: DateTimeISOResolver.parseLiteral,
  } as unknown as GraphQLScalarType,
  URL: URLResolver,
  JSONObject: JSONObjectResolver,
};

export function buildSchema(typeDefs = readSchemaFile()): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs,
    resolvers: [baseResolvers, nodeResolvers, claimResolvers, sourceResolvers, articleResolvers, eventResolvers, authResolvers, proposalResolvers],
    // A resolver for a field the SDL does not have is a bug; fail at start, not at query time.
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
}
