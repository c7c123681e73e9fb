import fc from "fast-check";
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { buildSchema } from "../src/app/schema";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

/**
 * Property-based fuzzing of the running server (production mode): random documents and variables
 * generated from the schema itself — valid and invalid fields, arguments, fragments, aliases,
 * directives, hostile strings, forged ids and cursors, oversize lists — sent over HTTP, queries
 * anonymously and mutations with an editor key. Whatever is sent, the answer is a well-formed
 * GraphQL response with a 2xx/4xx status, never INTERNAL_SERVER_ERROR, never internals; and the
 * server still answers afterwards. A fixed seed keeps CI deterministic; FUZZ_SEED / FUZZ_RUNS
 * explore further (a failure prints the seed and the shrunk document).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

/** Anything in a body that would reveal the implementation. */
const LEAK = /prisma|postgres|pglite|SELECT |relation "|syntax error at|node_modules|\/work\/|\.ts:\d|Did you mean|stacktrace|127\.0\.0\.1/i;

const STRINGS = [
  "Pentagon",
  "brian-hook",
  "Brian Hook",
  "force protection",
  "Trump’s",
  "Bri%Hook",
  "_",
  "",
  " ",
  "a\u0000b",
  "\u0000",
  "'; DROP TABLE claim; --",
  '"quoted phrase" -exclusion',
  "a|b&!c:*<->(",
  "a|b&!c:*<->(".repeat(20),
  "x".repeat(300),
  "😀 émoji \u202e rtl",
  "\ud800",
  "%00",
  "https://example.org/evidence",
  "file:///etc/passwd",
  "javascript:alert(1)",
  "2020-01-03T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "2020-02-30T00:00:00Z",
  "Q42",
];

interface Context {
  g: fc.GeneratorValue;
  schema: GraphQLSchema;
  /** Real global IDs and cursors from the seed, so lookups sometimes hit. */
  ids: string[];
  cursors: string[];
  /** Most documents only send values of the right types (hostile content, valid shape); the rest also break the rules. */
  hostile: boolean;
  /** Fields left to select: keeps documents under the token and alias limits most of the time. */
  budget: number;
  /** Alias counter: every alias in a document is distinct. */
  aliases: number;
  variables: Record<string, unknown>;
  definitions: string[];
  fragments: string[];
}

const pick = <T>(ctx: Context, items: readonly T[]): T => items[ctx.g(fc.nat, { max: items.length - 1 })];
const chance = (ctx: Context, percent: number) => ctx.g(fc.nat, { max: 99 }) < percent;
/** A rule-breaking choice, only in hostile documents. */
const breakRule = (ctx: Context, percent: number) => ctx.hostile && chance(ctx, percent);

/** A JS value for an input type: usually valid, sometimes not. */
function inputValue(ctx: Context, type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type) ? breakRule(ctx, 5) : chance(ctx, 3)) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const length = breakRule(ctx, 15) ? ctx.g(fc.integer, { min: 20, max: 3_000 }) : ctx.g(fc.nat, { max: 6 });
    const item = inputValue(ctx, inner.ofType, depth + 1);
    return Array.from({ length }, (_, i) => (i % 3 === 0 ? item : inputValue(ctx, inner.ofType, depth + 1)));
  }
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) || (depth < 3 && chance(ctx, 40))) value[field.name] = inputValue(ctx, field.type, depth + 1);
    }
    if (breakRule(ctx, 5)) value.notAField = "x";
    return value;
  }
  if (isEnumType(inner)) return breakRule(ctx, 10) ? pick(ctx, ["MAYBE", "newest", "TRUE_"]) : pick(ctx, inner.getValues()).name;
  switch (inner.name) {
    case "Int":
      return breakRule(ctx, 30) ? pick(ctx, [-1, 101, 2 ** 31 - 1, -(2 ** 31), 1.5]) : pick(ctx, [0, 1, 2, 5, 20, 100, ctx.g(fc.integer, { min: 1, max: 100 })]);
    case "Float":
      return ctx.g(fc.double, { noNaN: true, noDefaultInfinity: true });
    case "Boolean":
      return ctx.g(fc.boolean);
    case "ID":
      return chance(ctx, 60) && ctx.ids.length ? pick(ctx, ctx.ids) : pick(ctx, [...STRINGS, "Q2xhaW06bm90LWEtdXVpZA", "U291cmNlOg"]);
    case "String":
      return chance(ctx, 15) && ctx.cursors.length ? pick(ctx, ctx.cursors) : chance(ctx, 10) ? forgedCursor(ctx) : pick(ctx, STRINGS);
    case "JSONObject":
      return { a: pick(ctx, STRINGS), b: [1, { c: pick(ctx, STRINGS) }] };
    case "DateTime":
      return breakRule(ctx, 30) ? pick(ctx, STRINGS) : pick(ctx, ["2020-01-03T00:00:00Z", "2019-06-20T12:00:00.000Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]);
    case "URL":
      return breakRule(ctx, 30) ? pick(ctx, STRINGS) : pick(ctx, ["https://example.org/evidence", "http://example.org/a?b=c#d", "https://example.org/" + "x".repeat(3000)]);
    default:
      return pick(ctx, STRINGS);
  }
}

function forgedCursor(ctx: Context): string {
  const parts = Array.from({ length: ctx.g(fc.nat, { max: 4 }) }, () => pick(ctx, [...STRINGS, 1, null, true, { a: 1 }]));
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

/** Prints a JS value as a GraphQL literal; strings go through JSON escapes, which GraphQL shares. */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return "null";
  const inner = isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, isListType(inner) ? inner.ofType : inner)).join(", ")}]`;
  if (isInputObjectType(inner) && typeof value === "object") {
    const fields = inner.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? inner)}`)
      .join(", ")} }`;
  }
  if (isEnumType(inner) && typeof value === "string" && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  if (isScalarType(inner) && inner.name === "JSONObject") return `{ a: ${JSON.stringify("x")} }`;
  return JSON.stringify(value);
}

function argumentsOf(ctx: Context, field: GraphQLField<unknown, unknown>): string {
  const args: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type) && !chance(ctx, 45)) continue;
    const value = inputValue(ctx, arg.type);
    const big = JSON.stringify(value ?? null).length > 2_000;
    if (big || chance(ctx, 40)) {
      const name = `v${ctx.definitions.length}`;
      const defaulted = !big && chance(ctx, 15);
      ctx.definitions.push(`$${name}: ${String(arg.type)}${defaulted ? ` = ${literal(value, arg.type)}` : ""}`);
      if (!defaulted) ctx.variables[name] = value;
      args.push(`${arg.name}: $${name}`);
    } else {
      args.push(`${arg.name}: ${literal(value, arg.type)}`);
    }
  }
  if (breakRule(ctx, 5)) args.push(`bogus: 1`);
  return args.length ? `(${args.join(", ")})` : "";
}

function selectionSet(ctx: Context, type: GraphQLCompositeType, depth: number): string {
  const selections: string[] = [];
  const count = ctx.g(fc.integer, { min: 1, max: depth > 2 ? 2 : 3 });
  for (let i = 0; i < count; i++) {
    if (ctx.budget-- <= 0) {
      selections.push("__typename");
      break;
    }
    if (isAbstractType(type) || chance(ctx, 8)) {
      const possible = isAbstractType(type) ? ctx.schema.getPossibleTypes(type) : [type];
      const target = pick(ctx, possible);
      if (chance(ctx, 50)) {
        const name = `F${ctx.fragments.length}`;
        ctx.fragments.push(""); // reserve the name before recursing
        ctx.fragments[Number(name.slice(1))] = `fragment ${name} on ${target.name} ${selectionSet(ctx, target, depth + 1)}`;
        selections.push(`...${name}`.repeat(chance(ctx, 10) ? 2 : 1));
      } else {
        selections.push(`... on ${target.name} ${selectionSet(ctx, target, depth + 1)}`);
      }
      if (isAbstractType(type)) {
        selections.push("__typename");
        continue;
      }
    }
    const fields = Object.values(type.getFields());
    if (breakRule(ctx, 5)) selections.push("notAField");
    const field = pick(ctx, fields);
    const named = getNamedType(field.type);
    if (isCompositeType(named) && depth >= 5) {
      selections.push("__typename");
      continue;
    }
    // Every field under a unique alias: fields merged from fragments never conflict (a validation error).
    const alias = `a${ctx.aliases++}: `;
    const directive = chance(ctx, 8) ? ` @include(if: ${ctx.g(fc.boolean)})` : chance(ctx, 4) ? ` @skip(if: false)` : "";
    const sub = isCompositeType(named) ? ` ${selectionSet(ctx, named, depth + 1)}` : "";
    selections.push(`${alias}${field.name}${argumentsOf(ctx, field)}${directive}${sub}`);
  }
  return `{ ${selections.join(" ")} }`;
}

interface Operation {
  mutation: boolean;
  query: string;
  variables: Record<string, unknown>;
}

function operation(schema: GraphQLSchema, ids: string[], cursors: string[]): fc.Arbitrary<Operation> {
  return fc.gen().map((g) => {
    const ctx: Context = { g, schema, ids, cursors, hostile: g(fc.nat, { max: 99 }) < 30, budget: 24, aliases: 0, variables: {}, definitions: [], fragments: [] };
    const mutation = chance(ctx, 25);
    const root = mutation ? schema.getMutationType()! : schema.getQueryType()!;
    const body = selectionSet(ctx, root, 0);
    const header = ctx.definitions.length ? `(${ctx.definitions.join(", ")})` : "";
    return {
      mutation,
      query: `${mutation ? "mutation" : "query"} Fuzz${header} ${body} ${ctx.fragments.join(" ")}`,
      variables: ctx.variables,
    };
  });
}

describe.each(databaseKinds())("fuzzing the running server on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let ids: string[];
  let cursors: string[];
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0" } });
    editor = await createKey(server, "EDITOR");
    const { body } = await server.gql(`{
      claims(first: 5) { edges { cursor node { id source { id } article { id } events { event { id } } } } }
      sources(first: 3) { edges { cursor } } events(first: 3) { edges { cursor } } articles(first: 1) { edges { cursor } } }`);
    const claims = body.data.claims.edges;
    ids = claims.flatMap((e: any) => [e.node.id, e.node.source.id, e.node.article.id, ...e.node.events.map((l: any) => l.event.id)]);
    cursors = [body.data.claims, body.data.sources, body.data.events, body.data.articles].flatMap((c: any) => c.edges.map((e: any) => e.cursor));
  });
  afterAll(() => server?.close());

  test("no document or variables make the server fail, leak or stop answering", async () => {
    const schema = buildSchema();
    await fc.assert(
      fc.asyncProperty(operation(schema, ids, cursors), async ({ mutation, query, variables }) => {
        const res = await fetch(`${server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(mutation ? { authorization: `Bearer ${editor}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        const text = await res.text();
        expect([200, 400, 413]).toContain(res.status);
        const payload = JSON.parse(text);
        expect(payload.data !== undefined || Array.isArray(payload.errors)).toBe(true);
        for (const error of payload.errors ?? []) expect(error.extensions?.code).not.toBe("INTERNAL_SERVER_ERROR");
        expect(text).not.toMatch(LEAK);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const { body } = await server.gql(`{ claims(first: 1) { totalCount } }`);
    expect(body.data.claims.totalCount).toBeGreaterThan(0);
  }, 240_000);
});
