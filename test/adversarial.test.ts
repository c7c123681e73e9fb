import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { Prisma } from "../src/generated/prisma/client";
import { checkOperation } from "../src/graphql/cost";
import { ID_CAP } from "../src/graphql/inputCaps";
import { buildSchema } from "../src/app/schema";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

/**
 * Regression tests for what an attacker found outside the bad-input table (issue 11): documents
 * whose analysis was exponential, variables that dodged the cost limit, unbounded lists, client
 * mistakes answered as server errors, and schema hints in production.
 */

const json = { "content-type": "application/json" };

/** `...F27`, where each fragment spreads the one below it twice: 2^27 expansions from 400 tokens. */
function fanOut(levels: number): string {
  const fragments = [`fragment F0 on Query { __typename }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return `query Q { ...F${levels} } ${fragments.join(" ")}`;
}

const bodyOf = async (res: Response) => (await res.json()) as any;
const encode = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");
const UUID = "00000000-0000-4000-8000-000000000000";

describe.each(databaseKinds())("adversarial requests on %s (production mode)", (kind) => {
  let server: TestServer;
  let editor: string;
  let claimId: string;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0" } });
    editor = await createKey(server, "EDITOR");
    claimId = (await server.gql(`{ claims(first: 1) { nodes { id } } }`)).body.data.claims.nodes[0].id;
  });
  afterAll(() => server?.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, { method: "POST", headers: { ...json, ...headers }, body: JSON.stringify(body) });

  test("a fragment fan-out is refused without expanding it", async () => {
    const res = await post({ query: fanOut(27) });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).errors[0].message).toMatch(/"__typename" is selected 134217728 times/);
    // The cost analysis on its own (behind validation) is linear too: each fragment is costed once.
    const document = parse(fanOut(27));
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    expect(() => checkOperation(buildSchema(), document, operation, {}, 20_000)).toThrow(/query cost 134217728 exceeds/);
  });

  test("a field repeated hundreds of times is refused before graphql's pairwise field comparison", async () => {
    const res = await post({ query: `{ ${"claims { totalCount } ".repeat(400)} }` });
    expect(res.status).toBe(400);
    const error = (await bodyOf(res)).errors[0];
    expect(error.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(error.message).toMatch(/"claims" is selected 400 times/);
    // Through fragments too, each counted once per spread.
    const spreads = Array.from({ length: 12 }, (_, i) => `...F${i}`).join(" ");
    const fragments = Array.from({ length: 12 }, (_, i) => `fragment F${i} on Query { claims { nodes { text } } }`).join(" ");
    const viaFragments = await post({ query: `{ ${spreads} } ${fragments}` });
    expect((await bodyOf(viaFragments)).errors[0].message).toMatch(/"claims" is selected 12 times/);
    // Fragment colocation as a frontend writes it (the same leaf in many fragments) stays allowed.
    const colocated = Array.from({ length: 12 }, (_, i) => `fragment C${i} on Claim { id text }`).join(" ");
    const ok = await post({ query: `{ claims(first: 2) { nodes { ${Array.from({ length: 12 }, (_, i) => `...C${i}`).join(" ")} } } } ${colocated}` });
    expect((await bodyOf(ok)).errors).toBeUndefined();
  });

  test("a variable's default counts like the same value inline", async () => {
    const shape = (n: string) => `claims(first: ${n}) { nodes { source { claims(first: ${n}) { nodes { id events { event { claims(first: ${n}) { totalCount } } } } } } } }`;
    const inline = await post({ query: `{ ${shape("100")} }` });
    const defaulted = await post({ query: `query($n: Int = 100) { ${shape("$n")} }` });
    expect(inline.status).toBe(400);
    expect(defaulted.status).toBe(400);
    const [a, b] = [(await bodyOf(inline)).errors[0], (await bodyOf(defaulted)).errors[0]];
    expect(b.extensions).toEqual(a.extensions);
  });

  test("a null `first` costs the default page size, not 1", async () => {
    // About 20 × 20 × 20 × 5: over the limit with the default page size, far under it if null counted as 1.
    const q = `query($n: Int) { claims(first: $n) { nodes { source { claims(first: $n) { nodes { source { claims(first: $n) { nodes { id text kind status } } } } } } } } }`;
    const res = await post({ query: q, variables: { n: null } });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).errors[0].extensions.code).toBe("QUERY_COST_LIMIT_EXCEEDED");
  });

  test("list arguments are capped before any SQL runs, and repeats are ignored", async () => {
    const bomb = Array.from({ length: 12_000 }, () => "TRUE");
    const res = await post({ query: `query($s: [VerificationStatus!]) { claims(filter: { status: $s }) { totalCount } }`, variables: { s: bomb } });
    expect(res.status).toBe(400);
    const error = (await bodyOf(res)).errors[0];
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "ClaimFilter.status" });
    expect(error.message).toMatch(/at most 20 values/);
    const nested = await post({ query: `{ sources(first: 1) { nodes { claims(status: [${Array(21).fill("TRUE").join(",")}]) { totalCount } } } }` });
    expect((await bodyOf(nested)).errors[0].extensions.argument).toBe("Source.claims.status");
    const repeated = await server.gql(`{ claims(filter: { status: [${Array(20).fill("UNVERIFIED").join(",")}] }) { totalCount } }`);
    const once = await server.gql(`{ claims(filter: { status: [UNVERIFIED] }) { totalCount } }`);
    expect(repeated.body.data.claims.totalCount).toBe(once.body.data.claims.totalCount);
    expect(once.body.data.claims.totalCount).toBeGreaterThan(0);
  });

  test("each string of a list is capped, and IDs and cursors are capped before they are decoded", async () => {
    const q = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
    const atCap = await server.gql(q, { ids: ["x".repeat(ID_CAP)] });
    expect(atCap.body).toEqual({ data: { nodes: [null] } });
    const over = await post({ query: q, variables: { ids: ["x", "y".repeat(ID_CAP + 1)] } });
    expect(over.status).toBe(400);
    const error = (await bodyOf(over)).errors[0];
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "Query.nodes.ids" });
    expect(error.message).toMatch(`at most ${ID_CAP} characters`);
    const cursor = await post({ query: `query($a: String) { claims(after: $a) { totalCount } }`, variables: { a: "x".repeat(4_001) } });
    expect((await bodyOf(cursor)).errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "Query.claims.after" });
  });

  test.each([
    ["search", `{ claims(filter: { search: "force\\u0000protection" }) { totalCount } }`],
    ["actor", `{ claims(filter: { actor: "Hook\\u0000" }) { totalCount } }`],
    ["slug", `{ source(slug: "brian-hook\\u0000") { name } }`],
  ])("a NUL character in %s is the client's error", async (_, query) => {
    const res = await post({ query });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  test("a NUL character in a mutation's rationale is the client's error", async () => {
    const res = await post(
      { query: `mutation($id: ID!) { claimSetStatus(input: { claimId: $id, status: FALSE, rationale: "no\\u0000" }) { userErrors { code } } }`, variables: { id: claimId } },
      { authorization: `Bearer ${editor}` },
    );
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  test("a huge search is refused; a hostile one within the cap is answered", async () => {
    const huge = await server.gql(`query($q: String) { claims(filter: { search: $q }) { totalCount } }`, { q: "a|b&!c:*<->(".repeat(7_000) });
    expect(huge.status).toBe(400);
    expect(huge.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const hostile = await server.gql(`query($q: String) { claims(filter: { search: $q }) { totalCount } }`, { q: "a|b&!c:*<->(".repeat(16) });
    expect(hostile.body.errors).toBeUndefined();
  });

  test.each([
    ["claims", "NEWEST", [`2020-13-45T00:00:00.000Z`, UUID]],
    ["claims", "NEWEST", [`2020-01-01T00:00:00.000Z`, "not-a-uuid"]],
    ["claims", "STATUS", ["MAYBE", `2020-01-01T00:00:00.000Z`, UUID]],
    ["claims", "ACTOR", ["Hook", "yesterday", UUID]],
    ["sources", null, ["Hook", "1"]],
    ["events", null, ["2019-02-30Tnoon", UUID]],
    ["articles", null, [`2020-01-01T00:00:00.000Z`, "'; DROP TABLE claim; --"]],
  ])("a well-formed %s cursor holding a bad value (%s) is BAD_USER_INPUT", async (list, order, values) => {
    const args = `first: 1, after: "${encode(values)}"${order ? `, orderBy: ${order}` : ""}`;
    const { body } = await server.gql(`{ ${list}(${args}) { nodes { id } } }`);
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  test("a subscription sent over HTTP is a bad request", async () => {
    const res = await post({ query: `subscription { __typename }` });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await bodyOf(res)).errors[0].extensions.code).not.toBe("INTERNAL_SERVER_ERROR");
  });

  test.each([
    ["a hash that does not match the query", { version: 1, sha256Hash: "0".repeat(64) }],
    ["an unknown protocol version", { version: 2, sha256Hash: "0".repeat(64) }],
  ])("an automatic persisted query with %s is the client's error", async (_, persistedQuery) => {
    const res = await post({ query: "{ claims { totalCount } }", extensions: { persistedQuery } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const code = (await bodyOf(res)).errors[0].extensions.code;
    expect(code).toMatch(/^(BAD_REQUEST|PERSISTED_QUERY_)/);
  });

  test("variable coercion errors give no schema hints", async () => {
    const orderBy = await server.gql(`query($o: ClaimOrder) { claims(orderBy: $o) { totalCount } }`, { o: "NEWES" });
    const filter = await server.gql(`query($f: ClaimFilter) { claims(filter: $f) { totalCount } }`, { f: { actr: "Hook" } });
    for (const { status, body } of [orderBy, filter]) {
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(body)).not.toMatch(/Did you mean/);
    }
  });

  test("LIKE wildcards in a search are plain characters", async () => {
    const wildcard = await server.gql(`{ sources(filter: { search: "Bri%Hook" }) { totalCount } }`);
    const underscore = await server.gql(`{ sources(filter: { search: "B_ian" }) { totalCount } }`);
    const plain = await server.gql(`{ sources(filter: { search: "Brian" }) { totalCount } }`);
    expect(wildcard.body.data.sources.totalCount).toBe(0);
    expect(underscore.body.data.sources.totalCount).toBe(0);
    expect(plain.body.data.sources.totalCount).toBeGreaterThan(0);
    const articles = await server.gql(`{ articles(filter: { search: "%" }) { totalCount } }`);
    expect(articles.body.data.articles.totalCount).toBe(0);
  });

  test("the directive limit counts the directives of every spread", async () => {
    const spreads = Array.from({ length: 26 }, () => "...F @include(if: true) @skip(if: false)").join(" ");
    const res = await post({ query: `{ ${spreads} } fragment F on Query { __typename }` });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).errors[0].message).toMatch(/Directives limit of 50 exceeded, found 52/);
  });
});

(process.env.TEST_DATABASE_URL ? describe : describe.skip)("named statements on PostgreSQL", () => {
  test("the prepared statements a connection holds do not grow with list lengths", async () => {
    // One pool connection, so every statement lands on the session inspected below.
    const server = await startServer("postgres", { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", DB_POOL_MAX: "1" } });
    try {
      const statements = async () =>
        (await server.db.read<{ statement: string }>(Prisma.sql`SELECT statement FROM pg_prepared_statements`)).map((r) => r.statement);
      const statuses = ["UNVERIFIED", "IN_REVIEW", "TRUE", "FALSE", "MISLEADING", "UNSUBSTANTIATED"];
      const kinds = ["PERSON", "GOVERNMENT", "ORGANIZATION"];
      const cycle = (values: string[], length: number) => Array.from({ length: Math.min(length, 20) }, (_, i) => values[i % values.length]);
      const ids = (await server.gql(`{ claims(first: 40) { nodes { id } } }`)).body.data.claims.nodes.map((n: { id: string }) => n.id);
      const round = async (length: number) => {
        const s = cycle(statuses, length);
        await server.gql(`query($s: [VerificationStatus!]) { claims(filter: { status: $s }) { totalCount nodes { id events { event { title } } } } }`, { s });
        await server.gql(`query($s: [VerificationStatus!]) { sources(first: 5) { nodes { claims(status: $s) { nodes { id } } } } }`, { s });
        await server.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Claim { text } } }`, { ids: ids.slice(0, length) });
        await server.gql(`query($k: [SourceKind!]) { sources(filter: { kind: $k }) { totalCount } }`, { k: cycle(kinds, length) });
      };
      // Every shape once (one value, two values, more), then many more lengths: nothing new may be prepared.
      for (const length of [1, 2, 3]) await round(length);
      const before = new Set(await statements());
      for (let length = 4; length <= 40; length += 3) await round(length);
      const added = (await statements()).filter((statement) => !before.has(statement));
      expect(added).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
