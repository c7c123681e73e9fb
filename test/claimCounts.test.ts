import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { foldClaimCounts } from "../src/claim/counts";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { ARTICLE_FILE, copySeed } from "./support/seedFiles";

// The claim counters (claim_count + claim_count_delta, kept by triggers, and claim_total over every
// source) must equal count(*) after
// every kind of write, folded or not; totalCount and claimStats read them.
describe.each(databaseKinds())("claim counters on %s", (kind) => {
  let server: TestServer;
  let editor: string;

  beforeAll(async () => {
    // Bulk writes below keep the client idle for seconds on a busy machine: a longer keep-alive than
    // the client's keeps a closing idle socket from racing the next request.
    // Writes here go straight to SQL; the response cache hears of them by NOTIFY, a moment later,
    // so answers are compared with SQL without it (its invalidation by NOTIFY is tested in responseCache.test.ts).
    server = await startServer(kind, { env: { KEEP_ALIVE_TIMEOUT_MS: "60000", RESPONSE_CACHE_MB: "0" } });
    editor = await createKey(server, "EDITOR");
  });
  afterAll(() => server?.close());

  type Row = { source_id: string; status: string; retired: boolean; n: number };
  const key = (r: Row) => `${r.source_id}/${r.status}/${r.retired}`;

  async function expectCountersExact() {
    const truth = await server.db.prisma.$queryRawUnsafe<Row[]>(
      `SELECT source_id::text, status::text, retired_at IS NOT NULL AS retired, count(*)::int AS n FROM claim GROUP BY 1, 2, 3`,
    );
    const counters = await server.db.prisma.$queryRawUnsafe<Row[]>(
      `SELECT source_id::text, status::text, retired, sum(n)::int AS n
       FROM (SELECT * FROM claim_count UNION ALL SELECT * FROM claim_count_delta) k GROUP BY 1, 2, 3 HAVING sum(n) <> 0`,
    );
    const sorted = (rows: Row[]) => rows.map((r) => `${key(r)}=${r.n}`).sort();
    expect(sorted(counters)).toEqual(sorted(truth));
    expect(truth.length).toBeGreaterThan(0);
    // The totals kept from claim_count's folds, each with the same deltas: over every source by status
    // (claim_total) and per source over every status (claim_source_total).
    for (const [table, key] of [["claim_total", "status"], ["claim_source_total", "source_id"]]) {
      const rows = async (sql: string) =>
        (await server.db.prisma.$queryRawUnsafe<{ k: string; retired: boolean; n: number }[]>(sql)).map((r) => `${r.k}/${r.retired}=${r.n}`).sort();
      const truth = await rows(`SELECT ${key}::text AS k, retired_at IS NOT NULL AS retired, count(*)::int AS n FROM claim GROUP BY 1, 2`);
      const kept = await rows(
        `SELECT ${key}::text AS k, retired, sum(n)::int AS n FROM (SELECT ${key}, retired, n FROM ${table}
           UNION ALL SELECT ${key}, retired, n FROM claim_count_delta) t GROUP BY 1, 2 HAVING sum(n) <> 0`,
      );
      expect(kept).toEqual(truth);
    }
    // The grouped dashboard ranks from claim_source_total and the pending deltas: the same top sources
    // (ties by id) as ranking the claims themselves, folded or not.
    const { body } = await server.gql(`{ claimStats(groupBySource: true, sourceLimit: 4) { bySource { source { name } total } } }`);
    expect(body.errors).toBeUndefined();
    const top = await server.db.prisma.$queryRawUnsafe<{ name: string; total: number }[]>(
      `SELECT s.name, count(*)::int AS total FROM claim c JOIN source s ON s.id = c.source_id
       WHERE c.retired_at IS NULL GROUP BY s.id ORDER BY 2 DESC, s.id LIMIT 4`,
    );
    expect(body.data.claimStats.bySource).toEqual(top.map((r) => ({ source: { name: r.name }, total: r.total })));
  }

  async function claimIds(first = 100): Promise<string[]> {
    const { body } = await server.gql(`{ claims(first: ${first}) { nodes { id } } }`);
    return body.data.claims.nodes.map((n: { id: string }) => n.id);
  }

  async function mutate(query: string, input: Record<string, unknown>) {
    const { body } = await server.gql(query, { input }, editor);
    expect(body.errors).toBeUndefined();
    const payload = Object.values(body.data)[0] as { userErrors: unknown[] };
    expect(payload.userErrors).toEqual([]);
  }

  const SET_STATUS = `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { userErrors { code } } }`;

  test("after the seed import", expectCountersExact);

  test("after verdicts, a retirement, a new claim, a change of source, and a fold", async () => {
    const ids = await claimIds();
    await mutate(SET_STATUS, { claimId: ids[0], status: "FALSE", rationale: "Contradicted by the record." });
    await mutate(SET_STATUS, { claimId: ids[1], status: "IN_REVIEW" });
    await mutate(`mutation($input: ClaimRetireInput!) { claimRetire(input: $input) { userErrors { code } } }`, { claimId: ids[2] });
    const { body } = await server.gql(`{ sources(first: 2) { nodes { id } } article(slug: "soleimani-strike-push") { id body } }`);
    const [first, second] = body.data.sources.nodes.map((n: { id: string }) => n.id);
    const words = body.data.article.body.slice(1000, 1060);
    await mutate(`mutation($input: ClaimCreateInput!) { claimCreate(input: $input) { userErrors { code } } }`, {
      articleId: body.data.article.id, sourceId: first, text: words, kind: "PARAPHRASE",
    });
    await mutate(`mutation($input: ClaimUpdateInput!) { claimUpdate(input: $input) { userErrors { code } } }`, { claimId: ids[3], sourceId: second });
    await expectCountersExact();
    await server.db.withSession(foldClaimCounts);
    expect(await server.db.prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM claim_count_delta`)).toEqual([]);
    await expectCountersExact();
  });

  test("after imports that retire, restore and re-verdict claims, and after plain SQL", async () => {
    const seed = copySeed();
    try {
      seed.edit(ARTICLE_FILE, (doc) => {
        doc.claims = doc.claims.slice(3);
      });
      await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false });
      await expectCountersExact();
    } finally {
      seed.remove();
    }
    await runImport(server.db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
    await expectCountersExact();
    // Writes from outside the API go through the triggers too.
    await server.db.prisma.$executeRawUnsafe(`UPDATE claim SET status = 'MIXED' WHERE id IN (SELECT id FROM claim ORDER BY id LIMIT 5)`);
    await server.db.prisma.$executeRawUnsafe(`DELETE FROM claim_event WHERE claim_id IN (SELECT id FROM claim ORDER BY id DESC LIMIT 1)`);
    await server.db.prisma.$executeRawUnsafe(`DELETE FROM verdict_change WHERE claim_id IN (SELECT id FROM claim ORDER BY id DESC LIMIT 1)`);
    await server.db.prisma.$executeRawUnsafe(`DELETE FROM claim WHERE id IN (SELECT id FROM claim ORDER BY id DESC LIMIT 1)`);
    await expectCountersExact();
  });

  test("a fold leaves no dead delta rows behind for counts to scan (it vacuums the delta table)", async () => {
    await server.db.prisma.$executeRawUnsafe(`UPDATE claim SET status = 'MIXED' WHERE id IN (SELECT id FROM claim ORDER BY id LIMIT 3)`);
    const pages = async () =>
      (await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT (pg_relation_size('claim_count_delta') / 8192)::int AS n`))[0].n;
    await server.db.withSession(foldClaimCounts);
    // Every row folded (by this fold or the server's timer) and its page vacuumed away: an
    // unvacuumed table keeps its pages of dead rows.
    expect(await pages()).toBe(0);
    await expectCountersExact();
  });

  test("after the counters are rebuilt by hand from the claims (TRUNCATE, then count again)", async () => {
    await server.db.withSession(foldClaimCounts);
    await server.db.prisma.$transaction([
      server.db.prisma.$executeRawUnsafe(`TRUNCATE claim_count, claim_count_delta`),
      server.db.prisma.$executeRawUnsafe(
        `INSERT INTO claim_count (source_id, status, retired, n) SELECT source_id, status, retired_at IS NOT NULL, count(*) FROM claim GROUP BY 1, 2, 3`,
      ),
    ]);
    await expectCountersExact();
  });

  test("after concurrent verdicts on the same claims and a concurrent fold", async () => {
    const ids = (await claimIds()).slice(0, 8);
    const statuses = ["TRUE", "FALSE", "MIXED", "IN_REVIEW"];
    await Promise.all([
      ...ids.flatMap((claimId, i) =>
        statuses.map((_, k) =>
          server.gql(SET_STATUS, { input: { claimId, status: statuses[(i + k) % statuses.length], rationale: `round ${k}` } }, editor),
        ),
      ),
      server.db.withSession(foldClaimCounts),
      server.db.withSession(foldClaimCounts),
    ]);
    await expectCountersExact();
    await server.db.withSession(foldClaimCounts);
    await expectCountersExact();
  });

  test("totalCount and claimStats agree with count(*) for counted filters", async () => {
    const { body } = await server.gql(`{
      all: claims { totalCount totalCountIsExact }
      queue: claims(filter: { status: [UNVERIFIED, IN_REVIEW] }) { totalCount totalCountIsExact }
      retired: claims(filter: { includeRetired: true }) { totalCount }
      actor: claims(filter: { actor: "State Department", includeAffiliated: true }) { totalCount }
      search: claims(filter: { search: "Soleimani" }) { totalCount totalCountIsExact }
      claimStats(groupBySource: true, sourceLimit: 3) { total byStatus { status count } bySource { total } }
    }`);
    expect(body.errors).toBeUndefined();
    const count = async (where: string) =>
      (await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM claim c WHERE ${where}`))[0].n;
    const d = body.data;
    expect(d.all).toEqual({ totalCount: await count("retired_at IS NULL"), totalCountIsExact: true });
    expect(d.queue).toEqual({ totalCount: await count("retired_at IS NULL AND status IN ('UNVERIFIED', 'IN_REVIEW')"), totalCountIsExact: true });
    expect(d.retired.totalCount).toBe(await count("TRUE"));
    expect(d.search).toEqual({
      totalCount: await count(`retired_at IS NULL AND to_tsvector('english', text) @@ websearch_to_tsquery('english', 'Soleimani')`),
      totalCountIsExact: true,
    });
    expect(d.actor.totalCount).toBeGreaterThan(0);
    expect(d.claimStats.total).toBe(d.all.totalCount);
    for (const { status, count: n } of d.claimStats.byStatus) expect(n).toBe(await count(`retired_at IS NULL AND status = '${status}'`));
    const top = await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM claim WHERE retired_at IS NULL GROUP BY source_id ORDER BY 1 DESC LIMIT 3`,
    );
    expect(d.claimStats.bySource.map((s: { total: number }) => s.total)).toEqual(top.map((r) => r.n));
  });

  test("beyond 1,000 matches a search's totalCount is an estimate, and says so; counted filters stay exact", async () => {
    // 1,050 extra claims on one article and source, written set-based (and counted by the triggers).
    await server.db.prisma.$executeRawUnsafe(`
      INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at, said_at_precision,
                         quote_start, quote_end, quote_exact, status, updated_at)
      SELECT gen_random_uuid(), 'bulk/' || g, 'API', a.id, s.id, 'Bulk statement ' || g || ' about drones', 'PARAPHRASE', 'UNKNOWN',
             now(), 'DAY', 0, 1, 'x', 'UNVERIFIED', now()
      FROM generate_series(1, 1050) g, (SELECT id FROM article LIMIT 1) a, (SELECT id FROM source ORDER BY slug LIMIT 1) s`);
    await server.db.prisma.$executeRawUnsafe(`ANALYZE claim`);
    const { body } = await server.gql(`{
      search: claims(filter: { search: "drones" }) { totalCount totalCountIsExact }
      unverified: claims(filter: { status: [UNVERIFIED] }) { totalCount totalCountIsExact }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.search.totalCountIsExact).toBe(false);
    expect(body.data.search.totalCount).toBeGreaterThan(1_000);
    const [{ n }] = await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM claim WHERE retired_at IS NULL AND status = 'UNVERIFIED'`,
    );
    expect(body.data.unverified).toEqual({ totalCount: n, totalCountIsExact: true });
    await expectCountersExact();
  });
});
