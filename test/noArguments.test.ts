import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, execute, parse } from "graphql";
import { NO_ARGUMENTS } from "../src/graphql/noArguments";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

// Fields without arguments share one frozen empty arguments object (src/graphql/noArguments.ts);
// fields with arguments still get theirs, from literals, variables and defaults.
test("graphql-js execution hands every argument-less field the shared object, and others their own values", async () => {
  const tags: unknown[] = [];
  const echoes: unknown[] = [];
  const Item = new GraphQLObjectType({
    name: "Item",
    fields: {
      tag: { type: GraphQLString, resolve: (item, args) => (tags.push(args), item.tag) },
      echo: { type: GraphQLInt, args: { n: { type: GraphQLInt, defaultValue: 7 } }, resolve: (_, args) => (echoes.push(args), args.n) },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { items: { type: new GraphQLList(Item), resolve: () => [{ tag: "a" }, { tag: "b" }, { tag: "c" }] } } }),
  });
  const result = await execute({ schema, document: parse(`query($n: Int) { items { tag lit: echo(n: 2) byVar: echo(n: $n) byDefault: echo } }`), variableValues: { n: 5 } });
  expect(result.errors).toBeUndefined();
  expect(result.data!.items).toEqual(["a", "b", "c"].map((tag) => ({ tag, lit: 2, byVar: 5, byDefault: 7 })));
  expect(tags).toHaveLength(3);
  for (const args of tags) expect(args).toBe(NO_ARGUMENTS);
  expect(Object.isFrozen(NO_ARGUMENTS)).toBe(true);
  expect(echoes).toHaveLength(9);
  for (const args of echoes) expect(args).not.toBe(NO_ARGUMENTS);
});

describe.each(databaseKinds())("arguments over HTTP on %s", (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(kind, { seed: true, env: { RESPONSE_CACHE_MB: "0" } });
  });
  afterAll(() => server?.close());

  test("nested lists keep their arguments (literal, variable, default) while their argument-less fields resolve", async () => {
    const { body } = await server.gql(
      `query($n: Int) { sources(first: 3) { nodes { name two: claims(first: 2) { nodes { text source { name } } } some: claims(first: $n) { nodes { id } } all: claims { nodes { id } } } } }`,
      { n: 1 },
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data.sources.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const source of nodes) {
      expect(source.name).toEqual(expect.any(String));
      expect(source.two.nodes.length).toBe(Math.min(2, source.all.nodes.length));
      expect(source.some.nodes.length).toBe(Math.min(1, source.all.nodes.length));
      for (const claim of source.two.nodes) expect(claim.source.name).toBe(source.name);
    }
    expect(nodes.some((s: { all: { nodes: unknown[] } }) => s.all.nodes.length > 2)).toBe(true);
  });
});
