import { databaseKinds, startServer, type TestServer } from "./support/harness";

// The budget of cost in flight admitted a request by its static price, which counts a plain list
// (`Article.claims`) as one item: thirty aliases of the seed article's 31 claims were priced as a
// light read and listed 930 claims with their text, however many such requests were in flight.
// What an answer really lists now holds budget as it grows (graphql/admission.ts).
const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: articles(first: 1) { nodes { claims { id text } } }`).join(" ");
const FAN = `query { ${aliases} }`;

async function post(server: TestServer, query: string) {
  const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as any };
}

describe.each(databaseKinds())("an answer's listed items and the budget of cost in flight (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("a cheaply priced request that lists more than its price is refused while heavy work fills the budget, and answered in full once it does not", async () => {
    const limit = server.config.maxInflightCost;
    // Another request priced at the heavy share of the budget is running.
    const other = limit * 0.75;
    expect(server.budget.tryAcquire(other)).toBe(true);
    try {
      const refused = await post(server, FAN);
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe("1");
      expect(refused.body.errors[0].extensions.code).toBe("OVERLOADED");
      // Refused part-way, it answers its error once and none of the partial data (it carried megabytes of nulls).
      expect(refused.body.errors).toHaveLength(1);
      expect(refused.body.data).toBeUndefined();
      // What the refused request held is given back.
      expect(server.budget.inFlight).toBe(other);
    } finally {
      server.budget.release(other);
    }
    const answered = await post(server, FAN);
    expect(answered.status).toBe(200);
    expect(answered.body.errors).toBeUndefined();
    const claims = Object.values(answered.body.data as Record<string, { nodes: { claims: unknown[] }[] }>).flatMap((a) => a.nodes[0].claims);
    expect(claims.length).toBeGreaterThan(900);
    expect(server.budget.inFlight).toBe(0);
  }, 60_000);

  test("a cheap read that lists what it was priced for is not affected by heavy work in flight", async () => {
    const other = server.config.maxInflightCost * 0.75;
    expect(server.budget.tryAcquire(other)).toBe(true);
    try {
      const read = await post(server, `query { claims(first: 20) { nodes { id text source { name } } } }`);
      expect(read.status).toBe(200);
      expect(read.body.data.claims.nodes).toHaveLength(20);
    } finally {
      server.budget.release(other);
    }
  }, 60_000);
});
