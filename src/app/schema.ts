import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLScalarType, GraphQLSchema } from "graphql";
import { DateTimeISOResolver, JSONObjectResolver, URLResolver } from "graphql-scalars";
import type { Resolvers } from "../generated/graphql";
import { countListedItems } from "../graphql/listedItems";
import { nodeResolvers, type NodeFetchers } from "../graphql/node";
import { readSchemaFile } from "../graphql/sdl";
import { modules } from "./modules";
// Loaded with the schema, so every execution of it (HTTP and WebSocket) skips argument-less fields' argument dictionaries.
import "../graphql/noArguments";

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

const nodeFetchers: NodeFetchers = Object.assign({}, ...modules.map((m) => m.nodes ?? {}));

export function buildSchema(typeDefs = readSchemaFile()): GraphQLSchema {
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: [baseResolvers, nodeResolvers(nodeFetchers), ...modules.map((m) => m.resolvers)],
    // A resolver for a field the SDL does not have is a bug; fail at start, not at query time.
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
  return countListedItems(schema);
}

let served: GraphQLSchema | undefined;

/** The served schema, built once per process: Apollo and the WebSocket server share it (a build takes ~0.3 s). */
export function servedSchema(): GraphQLSchema {
  return (served ??= buildSchema());
}
