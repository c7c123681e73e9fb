import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { liveClient, subscribe } from "./support/live";

// Found by the fourth attack round (2026-12-07). Both fail on main at a2c7df4.
// 1. The item count (src/graphql/listedItems.ts) counts list items, not what each item carries: a
//    claim's `article { body }` is one scalar (priced 1, never counted) yet answers the whole body.
//    Under two nested plain lists of the seed article (31 × 31 claims) and 20 aliases, 19,220 claims
//    each carry the 8 KB body: one anonymous request answered 159 MB in 12 s, RSS +1,070 MiB, /health 8 s.
// 2. A subscription's context carries no item counter, and the cost analysis prices a plain list as one
//    item: `claimChanged { article { claims { article { claims { … } } } } }` lists 31^depth claims per
//    event (923,521 at depth 4: /health blocked 14 s by one anonymous subscription message).
const SET_STATUS = `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { claim { status } } }`;
const nested = (levels: number, leaf: string) => {
  let selection = leaf;
  for (let i = 0; i < levels; i++) selection = `article { claims { ${selection} } }`;
  return selection;
};

describe.each(databaseKinds())("what one answer carries beyond its items (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", MAX_COST: "2000" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("an article's body repeated under nested plain lists is refused, not answered thousands of times", async () => {
    const id = (await server.gql(`{ articles(first: 1) { nodes { id } } }`)).body.data.articles.nodes[0].id;
    // Listed: 31 + 31 × 31 × 2 = 1,953 claims, under MAX_COST 2,000; each inner claim carries the body twice.
    const leaf = `a: article { body } b: article { body }`;
    const { body } = await server.gql(`query($id: ID!) { article(id: $id) { claims { ${nested(1, leaf)} } } }`, { id });
    const refused = (body.errors ?? []).some((e: { extensions: { code: string } }) => e.extensions.code === "QUERY_COST_LIMIT_EXCEEDED");
    // A stable refusal, or at most ~1 KB per unit of the cost limit (on main: 1,922 bodies, 15.8 MB).
    if (!refused) expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(2_000 * 1_024);
  }, 60_000);

  test("a subscription whose events nest plain lists cannot list more than MAX_COST items per event", async () => {
    const editor = await createKey(server, "EDITOR", "Verdict desk");
    const claimId = (await server.gql(`{ claims(first: 1) { nodes { id } } }`)).body.data.claims.nodes[0].id as string;
    const { client, connected } = liveClient(server.url);
    await connected;
    try {
      // 31^3 = 29,791 claims per event, priced a few units.
      const events = subscribe(client, `subscription { claimChanged { ${nested(3, "id")} } }`);
      for (let i = 0; i < 100 && server.live.watchers < 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      if (server.live.watchers >= 1) {
        expect((await server.gql(SET_STATUS, { input: { claimId, status: "IN_REVIEW" } }, editor)).body.errors).toBeUndefined();
      }
      const event = await events.next().catch((err: unknown) => ({ errors: [err] }));
      const count = (value: unknown): number =>
        Array.isArray(value) ? value.length + value.reduce((n: number, v) => n + count(v), 0) : value && typeof value === "object" ? Object.values(value).reduce((n: number, v) => n + count(v), 0) : 0;
      expect(count(event?.data ?? null)).toBeLessThanOrEqual(2_000);
      expect(event?.errors?.length ?? 0).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
