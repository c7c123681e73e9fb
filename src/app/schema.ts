import { makeExecutableSchema } from "@graphql-tools/schema";
import { GraphQLError, type GraphQLScalarType, type GraphQLSchema, type ValueNode } from "graphql";
import { DateTimeISOResolver, JSONObjectResolver, URLResolver } from "graphql-scalars";
import type { Resolvers } from "../generated/graphql";
import { countListedItems } from "../graphql/listedItems";
import { nodeResolvers, type NodeFetchers } from "../graphql/node";
import { readSchemaFile } from "../graphql/sdl";
import { YEAR_RANGE_MESSAGE, inYearRange } from "../validation/fields";
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

const isoDateTime = rulesOf(DateTimeISOResolver);

/**
 * An input DateTime must fall in the years the seed accepts (validation/fields.ts): graphql-scalars
 * takes any four-digit year, and PostgreSQL refuses year 0000 (22008), so `0000-06-01T00:00:00Z`
 * in a filter or a mutation was an INTERNAL_SERVER_ERROR. Thrown here, it is the client's error:
 * BAD_USER_INPUT for a variable, GRAPHQL_VALIDATION_FAILED for a literal, like any malformed date.
 */
function inRange(parsed: unknown, node?: ValueNode): Date {
  // graphql-scalars answers a valid Date or throws, so the instant always prints.
  const date = parsed as Date;
  if (!inYearRange(date)) throw new GraphQLError(`DateTime ${YEAR_RANGE_MESSAGE}, got ${date.toISOString()}`, { nodes: node });
  return date;
}

const baseResolvers: Resolvers = {
  // DateTime's rules, serialized as an ISO string rather than a Date (whose toJSON takes
  // JSON.stringify off its fast path).
  DateTime: {
    serialize: isoDateTime.serialize,
    parseValue: (value: unknown) => inRange(isoDateTime.parseValue(value)),
    parseLiteral: (node: ValueNode, variables?: Record<string, unknown> | null) => inRange(isoDateTime.parseLiteral(node, variables), node),
  } as unknown as GraphQLScalarType,
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
