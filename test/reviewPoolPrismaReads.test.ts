import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

/**
 * Review of 3845a0f (shedding by an explicit admit(sheddable) on the hand-written reads only):
 * anonymous reads served through Prisma (source by slug, its aliases and members) no longer meet
 * the pool's shedding. Under a burst larger than the pool they must still be answered 200 or
 * 503 OVERLOADED with Retry-After, never INTERNAL_SERVER_ERROR or another 5xx, and an editor's
 * verdict sent in the middle of the burst must still land.
 */
const BY_SLUG = `query($s: String!) { source(slug: $s) { name aliases members { name aliases } } }`;
const SET_STATUS = `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { claim { id status } userErrors { code } } }`;

async function ask(server: TestServer, query: string, variables: Record<string, unknown>, key?: string) {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, body, codes: (body.errors ?? []).map((e) => e.extensions?.code), retryAfter: res.headers.get("retry-after") };
}

describe.each(databaseKinds())("anonymous Prisma reads in a burst larger than the pool (%s)", (kind) => {
  let server: TestServer;
  let editor: string;
  let slugs: string[];
  let claimId: string;
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0", DB_POOL_MAX: "2", DB_CONNECT_TIMEOUT_MS: "100", NODE_ENV: "production" } });
    editor = await createKey(server, "EDITOR");
    const { body } = await server.gql(`{ sources(first: 50) { nodes { slug } } claims(first: 1) { nodes { id status } } }`);
    slugs = body.data.sources.nodes.map((n: { slug: string }) => n.slug);
    claimId = body.data.claims.nodes[0].id;
  }, 60_000);
  afterAll(() => server?.close());

  test("only 200s and 503 OVERLOADED with Retry-After; the editor's verdict lands meanwhile", async () => {
    const burst = () => Promise.all(Array.from({ length: 100 }, (_, i) => ask(server, BY_SLUG, { s: slugs[i % slugs.length] })));
    const [first, verdict, second] = await Promise.all([burst(), ask(server, SET_STATUS, { input: { claimId, status: "IN_REVIEW" } }, editor), burst()]);
    const answers = [...first, ...second];
    const summary = new Map<string, number>();
    for (const a of answers) summary.set(`${a.status} ${a.codes.join(",")} ${a.retryAfter}`, (summary.get(`${a.status} ${a.codes.join(",")} ${a.retryAfter}`) ?? 0) + 1);
    const allowed = new Set(["200  null", "503 OVERLOADED 1"]);
    expect([...summary.keys()].filter((k) => !allowed.has(k.replace(/(OVERLOADED,)+OVERLOADED/, "OVERLOADED")))).toEqual([]);
    for (const a of answers.filter((x) => x.status === 200)) expect(a.body.data.source).not.toBeNull();
    expect({ status: verdict.status, errors: verdict.body.errors, data: verdict.body.data }).toEqual({
      status: 200,
      errors: undefined,
      data: { claimSetStatus: { claim: { id: claimId, status: "IN_REVIEW" }, userErrors: [] } },
    });
  }, 120_000);
});
