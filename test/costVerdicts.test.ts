import { GraphQLError, Kind, parse, type OperationDefinitionNode } from "graphql";
import { buildSchema } from "../src/app/schema";
import { checkOperation } from "../src/graphql/cost";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

/**
 * The cost limit and the input caps are remembered per operation and variable shape
 * (src/graphql/cost.ts, OperationCosts): a repeated document must get, for every variables object,
 * the verdict a fresh analysis of it gives (src/graphql/cost.ts, checkOperation), the same error
 * first when several apply. Each document is sent over and over with changing variables, so all but
 * the first request of each take the remembered path.
 */

const MAX_COST = 20_000; // the server's default, passed to the fresh analysis alike

const PAGES = `query($n: Int, $m: Int, $s: String, $st: [VerificationStatus!]) {
  a: sources(first: $n) { nodes { ...C } }
  b: claims(first: $m, filter: { search: $s, status: $st }) { totalCount }
}
fragment C on Source { claims(first: $m) { nodes { text } } }`;

// A field that always fails the caps (a NUL in a literal), after one that reads a variable.
const CONSTANT_AFTER = `query($s: String) {
  a: claims(filter: { search: $s }) { totalCount }
  b: claims(filter: { search: "x\\u0000" }) { totalCount }
}`;

const long = (n: number) => "x".repeat(n);

const SEQUENCES: [string, string, Record<string, unknown>[]][] = [
  [
    "pages with fragments",
    PAGES,
    [
      { n: 1, m: 1 },
      { n: 100, m: 100 },
      { n: 1, m: 1, s: long(201) },
      { n: 1, m: 1, st: Array(21).fill("UNVERIFIED") },
      { n: 1, m: 1, s: "a\u0000" },
      { n: 100, m: 100, s: long(201) },
      { n: 2, m: 3 },
      { n: 100, m: 100 },
      { n: 1, m: 1 },
    ],
  ],
  ["a field that always fails after one that may", CONSTANT_AFTER, [{ s: "ok" }, { s: long(201) }, { s: "ok" }]],
  // The first request fails on a variable, so no plan is kept from it; the next ones still get theirs.
  ["a variable failing first", PAGES, [{ n: 1, m: 1, s: long(300) }, { n: 1, m: 1 }, { n: 100, m: 100 }]],
];

function freshVerdict(query: string, variables: Record<string, unknown>): GraphQLError | null {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  try {
    checkOperation(buildSchema(), document, operation, variables, MAX_COST);
    return null;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

describe.each(databaseKinds())("remembered cost verdicts on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", MAX_COST: String(MAX_COST) } });
  });
  afterAll(() => server?.close());

  test.each(SEQUENCES)("%s: each request gets a fresh analysis's verdict", async (_, query, sequence) => {
    const verdicts = new Set<string>();
    for (const variables of sequence) {
      const expected = freshVerdict(query, variables);
      const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] };
      verdicts.add(expected?.message ?? "accepted");
      if (expected) {
        expect({ status: res.status, code: body.errors?.[0].extensions.code, message: body.errors?.[0].message }).toEqual({
          status: 400,
          code: expected.extensions.code,
          message: expected.message,
        });
      } else {
        expect({ status: res.status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      }
    }
    // Each sequence changes the verdict along the way, so a verdict kept too long would show.
    expect(verdicts.size).toBeGreaterThan(1);
  });
});
