import fc from "fast-check";
import { CostBudget } from "../src/graphql/admission";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the attack round of 2026-12-07: the budget of cost in flight was first come, first served,
// and one operation may be priced at the whole budget. Claim proposals are priced 1,000 each but
// memoised per body, so 18 of them on one article cost the budget and almost nothing to run: one
// anonymous client sending such operations one after another (each with a fresh search, so the
// response cache never answers) held the whole budget nearly all the time, and 13-20 of 40 other
// visitors' cheap reads were answered 503.
const aliases = Array.from({ length: 18 }, (_, i) => `p${i}: claimProposals { text }`).join(" ");
const HOG = `query($s: String) { articles(first: 1) { nodes { id ${aliases} } } claims(first: 79, filter: { search: $s }) { nodes { id } } }`;
const READ = `query($n: Int) { claims(first: $n) { totalCount nodes { id text status source { name } } } }`;

async function post(server: TestServer, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, code: body.errors?.[0]?.extensions?.code };
}

describe.each(databaseKinds())("one client and the cost budget (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("a client sending one budget-priced operation after another does not make other visitors' cheap reads 503", async () => {
    expect(await post(server, HOG, { s: "probe" })).toEqual({ status: 200, code: undefined });
    let done = false;
    let sent = 0;
    const hog = (async () => {
      while (!done) await post(server, HOG, { s: `x${sent++}` });
    })();
    const reads: { status: number; code?: string }[] = [];
    // Each read differs (its page size), so none is answered from the cache.
    for (let n = 1; n <= 40; n++) {
      reads.push(await post(server, READ, { n }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    done = true;
    await hog;
    expect(sent).toBeGreaterThan(1);
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
  }, 120_000);
});

describe("CostBudget", () => {
  const LIMIT = 20_000;
  // Costs as operations are priced: cheap screens, big pages, proposals, up to MAX_COST (= LIMIT).
  const cost = fc.oneof(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 501, max: LIMIT }));
  const step = fc.oneof(fc.record({ acquire: cost }), fc.record({ release: fc.nat() }), fc.record({ resize: fc.nat(), to: cost }));

  test("never holds more than the limit and a quarter (one operation of the largest allowed cost beside a full reserve), and gives everything back, operations resized or not", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const budget = new CostBudget(LIMIT);
        const held: number[] = [];
        for (const s of steps) {
          if ("acquire" in s) {
            if (budget.tryAcquire(s.acquire)) held.push(s.acquire);
          } else if ("resize" in s) {
            // An answer listing more than it was priced for (graphql/admission.ts).
            const i = s.resize % Math.max(1, held.length);
            if (held.length && budget.resize(held[i], s.to)) held[i] = s.to;
          } else if (held.length) {
            budget.release(held.splice(s.release % held.length, 1)[0]);
          }
          expect(budget.inFlight).toBeLessThanOrEqual(LIMIT * 1.25);
        }
        for (const c of held.splice(0)) budget.release(c);
        expect(budget.inFlight).toBe(0);
      }),
    );
  });

  test("while operations priced at the whole budget run, light ones are still admitted, up to the reserve; another heavy one is not", () => {
    const budget = new CostBudget(LIMIT);
    expect(budget.tryAcquire(LIMIT)).toBe(true);
    expect(budget.tryAcquire(2_000)).toBe(false);
    let light = 0;
    while (budget.tryAcquire(100)) light += 100;
    expect(light).toBe(LIMIT / 4);
    // Nothing in flight: anything allowed runs.
    const empty = new CostBudget(LIMIT);
    expect(empty.tryAcquire(LIMIT)).toBe(true);
  });
});
