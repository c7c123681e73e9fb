import { databaseKinds, startServer, type TestServer } from "./support/harness";

// Words of the seed's claims: 30 distinct searches, so nothing is answered twice the same way.
const WORDS = [
  "Soleimani", "strike", "briefed", "plan", "Graham", "congressional", "leaders", "legally", "justified", "force",
  "protection", "President", "military", "decisive", "defensive", "personnel", "abroad", "General", "developing", "attack",
  "American", "diplomats", "service", "members", "Iraq", "region", "imminent", "Trump", "Pompeo", "intelligence",
];
const SEARCH = `query($s: String!) { claims(first: 20, filter: { search: $s }) { totalCount nodes { id text source { name } } } }`;

/** A burst of `n` anonymous searches at once; each answer's status, code and Retry-After. */
async function burst(server: TestServer, n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: SEARCH, variables: { s: WORDS[i % WORDS.length] } }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      return { status: res.status, codes: (body.errors ?? []).map((e) => e.extensions?.code), retryAfter: res.headers.get("retry-after") };
    }),
  );
}

describe.each(databaseKinds())("a burst larger than the database pool (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // Two connections, 100 ms to get one: 100 concurrent searches are far more than that serves.
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0", DB_POOL_MAX: "2", DB_CONNECT_TIMEOUT_MS: "100", NODE_ENV: "production" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("100 concurrent searches: only 200s and 503 OVERLOADED with Retry-After, never INTERNAL_SERVER_ERROR", async () => {
    const answers = [...(await burst(server, 100)), ...(await burst(server, 100))];
    const ok = answers.filter((a) => a.status === 200);
    const shed = answers.filter((a) => a.status === 503);
    expect(ok.length + shed.length).toBe(answers.length);
    for (const a of ok) expect(a.codes).toEqual([]);
    for (const a of shed) {
      expect(a.codes.length).toBeGreaterThan(0);
      for (const code of a.codes) expect(code).toBe("OVERLOADED");
      expect(a.retryAfter).toBe("1");
    }
    // The server kept serving: some answered in full, and it answers normally once the burst is over
    // (one request at a time: two connections serve that whatever the machine's load).
    expect(ok.length).toBeGreaterThan(0);
    const after = [];
    for (let i = 0; i < 3; i++) after.push(...(await burst(server, 1)));
    expect(after.map((a) => a.status)).toEqual([200, 200, 200]);
  }, 60_000);
});
