import fc from "fast-check";
import { normalizeWatch, matches } from "../src/live/match";
import { createServices } from "../src/app/services";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

// The live feed matches changed claims against watch filters in memory (src/live/match.ts): it must
// decide exactly as the claims list's SQL does, aliases, affiliations and kinds included.

describe.each(databaseKinds())("live filter matching on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterAll(() => server?.close());

  test("equals the claims list's SQL on random watch filters", async () => {
    const services = createServices(server.db);
    const before = await services.changes.head();
    // Every claim changes once, so the log holds a change for each.
    await server.db.withSession((s) => s.exec(`UPDATE claim SET note = note`));
    const { changes } = await services.changes.page(before, 1_000);
    const ids = changes.map((c) => c.claim!.id);
    expect(ids.length).toBeGreaterThan(20);
    const pick = async (sql: string) => (await server.db.withSession((s) => s.query<{ v: string }>(sql))).map((r) => r.v);
    const names = [
      ...(await pick(`SELECT name AS v FROM source`)),
      ...(await pick(`SELECT slug AS v FROM source`)),
      ...(await pick(`SELECT alias AS v FROM source_alias`)),
      "nobody at all",
    ];
    expect(await pick(`SELECT id::text AS v FROM source WHERE affiliation_id IS NOT NULL`)).not.toHaveLength(0);
    const sources = await pick(`SELECT id::text AS v FROM source`);
    const articles = await pick(`SELECT id::text AS v FROM article`);
    const events = await pick(`SELECT DISTINCT event_id::text AS v FROM claim_event`);
    const kinds = ["DIRECT_QUOTE", "PARTIAL_QUOTE", "PARAPHRASE", "ALLEGATION", "NONVERBAL"] as const;
    const spelling = fc.constantFrom((s: string) => s, (s: string) => s.toUpperCase(), (s: string) => `  ${s.replace(/ /g, "   ")} `);
    const filter = fc.record(
      {
        actor: fc.tuple(fc.constantFrom(...names), spelling).map(([n, f]) => f(n)),
        includeAffiliated: fc.boolean(),
        sourceId: fc.constantFrom(...sources),
        articleId: fc.constantFrom(...articles),
        eventId: fc.constantFrom(...events),
        kind: fc.array(fc.constantFrom(...kinds), { maxLength: 7 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filter, async (f) => {
        const expected = (await services.claims.list({ filter: { ...f, includeRetired: true }, first: 100, claimIds: ids })).nodes.map((c) => c.id).sort();
        const { filter: normal } = normalizeWatch(f);
        const actual = changes.filter((c) => matches(normal, c)).map((c) => c.claim!.id).sort();
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150, seed: 2026 },
    );
  });
});
