import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLSchema } from "graphql";
import { DateTimeResolver, JSONObjectResolver, URLResolver } from "graphql-scalars";
import { articleResolvers } from "../article/resolvers";
import { authResolvers } from "../auth/resolvers";
import { claimResolvers } from "../claim/resolvers";
import { eventResolvers } from "../event/resolvers";
import type { Resolvers } from "../generated/graphql";
import { sourceResolvers } from "../source/resolvers";
import { nodeResolvers } from "./node";
import { readSchemaFile } from "./sdl";

const baseResolvers: Resolvers = {
  DateTime: DateTimeResolver,
  URL: URLResolver,
  JSONObject: JSONObjectResolver,
};

export function buildSchema(typeDefs = readSchemaFile()): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs,
    resolvers: [baseResolvers, nodeResolvers, claimResolvers, sourceResolvers, articleResolvers, eventResolvers, authResolvers],
    // A resolver for a field the SDL does not have is a bug; fail at start, not at query time.
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
}
