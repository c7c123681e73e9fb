import fc from "fast-check";
import pg from "pg";
import { foldClaimCounts } from "../src/claim/counts";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { applyMigrations, readMigrations } from "../src/db/migrations";
import { encodeCursor } from "../src/db/paging";
import { toGlobalId } from "../src/graphql/globalId";
import { createLogger } from "../src/logger";
import { createPostgresDatabase, databaseKinds, startServer, type TestServer } from "./support/harness";

/**
 * The fast paths of lists and dashboards (estimated counts, whole-list totals, the grouped dashboard's
 * index, the (source, search) index, STATUS/ACTOR walks, hand-written reads) and migrations without the
 * request timeout, attacked over HTTP (fast-check where inputs vary) and compared with plain SQL: every
 * expected answer is a count(*) or ORDER BY over the claims themselves, never a hard-coded number.
 * Data added on top of the seed: two sources with the same name, an organisation with a member,
 * claims on identical dates, in year 50 and 9999, every status, retired ones.
 */

const RUNS = Number(process.env.LIST_FUZZ_RUNS ?? 12);
const SEED = Number(process.env.LIST_FUZZ_SEED ?? 20261126);

interface TruthRow {
  key: string;
  id: string;
  status: string;
  saidAt: string;
  name: string;
}

/** A filter as the API takes it, and the same conditions in plain SQL over `claim c JOIN source s`. */
interface Case {
  label: string;
  filter: Record<string, unknown>;
  where: string;
  /** Filters of actor/sourceId/status/includeRetired alone: exact counts and group walks. */
  covered: boolean;
}

const ORDER_SQL = {
  NEWEST: "c.said_at DESC, c.id DESC",
  OLDEST: "c.said_at ASC, c.id ASC",
  STATUS: "c.status ASC, c.said_at DESC, c.id DESC",
  ACTOR: "s.name ASC, c.said_at DESC, c.id DESC",
} as const;
type Order = keyof typeof ORDER_SQL;

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const tsMatch = (search: string) => `to_tsvector('english', c.text) @@ websearch_to_tsquery('english', ${sqlText(search)})`;

describe.each(databaseKinds())("lists, counts and dashboards against SQL on %s", (kind) => {
  let server: TestServer;
  const ids: Record<string, string> = {};

  const q = <T>(sql: string) => server.db.prisma.$queryRawUnsafe<T[]>(sql);
  const exec = (sql: string) => server.db.prisma.$executeRawUnsafe(sql);

  async function gql(query: string, variables?: Record<string, unknown>) {
    const { body } = await server.gql(query, variables);
    return body;
  }

  async function ok(query: string, variables?: Record<string, unknown>) {
    const body = await gql(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  beforeAll(async () => {
    // Writes here go straight to SQL; the response cache hears of them by NOTIFY, a moment later,
    // so answers are compared with SQL without it (its invalidation by NOTIFY is tested in responseCache.test.ts).
    server = await startServer(kind, { env: { KEEP_ALIVE_TIMEOUT_MS: "60000", RESPONSE_CACHE_MB: "0" } });
    // Six sources: two share a name, an organisation with a member, one sorting first, one last.
    await exec(`
      INSERT INTO source (id, slug, name, kind, affiliation_id, updated_at) VALUES
        (gen_random_uuid(), 'rv-twin-a', 'Review Twin', 'PERSON', NULL, now()),
        (gen_random_uuid(), 'rv-twin-b', 'Review Twin', 'PERSON', NULL, now()),
        (gen_random_uuid(), 'rv-org', 'Review Org', 'GOVERNMENT', NULL, now()),
        (gen_random_uuid(), 'rv-member', 'Review Member', 'PERSON', NULL, now()),
        (gen_random_uuid(), 'rv-aa', 'AAA Review', 'PERSON', NULL, now()),
        (gen_random_uuid(), 'rv-zz', 'zzz Review', 'PERSON', NULL, now())`);
    await exec(`UPDATE source SET affiliation_id = (SELECT id FROM source WHERE slug = 'rv-org') WHERE slug = 'rv-member'`);
    await exec(`INSERT INTO source_alias (id, source_id, alias, normalized)
      SELECT gen_random_uuid(), id, name, lower(name) FROM source WHERE slug LIKE 'rv-%'`);
    for (const r of await q<{ slug: string; id: string }>(`SELECT slug, id::text FROM source WHERE slug LIKE 'rv-%'`)) ids[r.slug] = r.id;
    // 240 claims over the six sources: five dates (two 1 ms apart, year 50, year 9999), every status,
    // three kinds and three search words, one in seven retired.
    await exec(`
      INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at, said_at_precision,
                         quote_start, quote_end, quote_exact, status, retired_at, updated_at)
      SELECT gen_random_uuid(), 'invariants/' || g, 'API', a.id,
             (SELECT array_agg(id ORDER BY slug) FROM source WHERE slug LIKE 'rv-%')[1 + g % 6],
             'Review statement ' || g || ' about ' || (ARRAY['drones', 'missiles', 'sanctions'])[1 + (g / 6) % 3],
             (ARRAY['DIRECT_QUOTE', 'PARAPHRASE', 'ALLEGATION'])[1 + (g * 5) % 3]::"ClaimKind", 'UNKNOWN',
             (ARRAY['2020-01-03 00:00:00', '2020-01-03 00:00:00.001', '0050-06-01 00:00:00', '9999-12-31 23:59:59.999',
                    '1900-01-01 00:00:00'])[1 + (g * 3) % 5]::timestamp,
             'DAY', 0, 1, 'x', (enum_range(NULL::"VerificationStatus"))[1 + (g * 7) % 10],
             CASE WHEN g % 7 = 0 THEN now() END, now()
      FROM generate_series(1, 240) g, (SELECT id FROM article ORDER BY slug LIMIT 1) a`);
    await exec(`ANALYZE`);
  });
  afterAll(() => server?.close());

  const STATUSES = ["UNVERIFIED", "IN_REVIEW", "TRUE", "MOSTLY_TRUE", "MIXED", "MOSTLY_FALSE", "FALSE", "MISLEADING", "UNSUBSTANTIATED", "NOT_CHECKABLE"];
  const statusRank = (s: string) => STATUSES.indexOf(s);

  const cases = (): Case[] => {
    const live = "c.retired_at IS NULL";
    const inSources = (...slugs: string[]) => `c.source_id IN (${slugs.map((s) => `'${ids[s]}'`).join(", ")})`;
    return [
      { label: "everything", filter: {}, where: live, covered: true },
      { label: "retired too", filter: { includeRetired: true }, where: "TRUE", covered: true },
      { label: "statuses", filter: { status: ["MIXED", "FALSE", "UNVERIFIED"] }, where: `${live} AND c.status IN ('MIXED', 'FALSE', 'UNVERIFIED')`, covered: true },
      { label: "organisation and member", filter: { actor: "rv-org", includeAffiliated: true }, where: `${live} AND ${inSources("rv-org", "rv-member")}`, covered: true },
      { label: "both twins by name", filter: { actor: "Review Twin" }, where: `${live} AND ${inSources("rv-twin-a", "rv-twin-b")}`, covered: true },
      {
        label: "one twin, retired too, two statuses",
        filter: { sourceId: toGlobalId("Source", ids["rv-twin-a"]), includeRetired: true, status: ["TRUE", "MIXED", "NOT_CHECKABLE"] },
        where: `${inSources("rv-twin-a")} AND c.status IN ('TRUE', 'MIXED', 'NOT_CHECKABLE')`,
        covered: true,
      },
      {
        label: "actor and a sourceId outside it",
        filter: { actor: "rv-org", sourceId: toGlobalId("Source", ids["rv-zz"]) },
        where: "FALSE",
        covered: true,
      },
      { label: "search", filter: { search: "drones" }, where: `${live} AND ${tsMatch("drones")}`, covered: false },
      {
        label: "search within an actor",
        filter: { search: "missiles", actor: "rv-org", includeAffiliated: true },
        where: `${live} AND ${tsMatch("missiles")} AND ${inSources("rv-org", "rv-member")}`,
        covered: false,
      },
      { label: "search with operators", filter: { search: '"review statement" -drones or sanctions' }, where: `${live} AND ${tsMatch('"review statement" -drones or sanctions')}`, covered: false },
      {
        label: "kind and dates",
        filter: { kind: ["PARAPHRASE"], saidAfter: "1900-01-01T00:00:00Z", saidBefore: "9999-12-31T23:59:59.999Z" },
        where: `${live} AND c.kind = 'PARAPHRASE' AND c.said_at >= '1900-01-01' AND c.said_at < '9999-12-31 23:59:59.999'`,
        covered: false,
      },
    ];
  };

  async function truth(c: Case, order: Order): Promise<TruthRow[]> {
    return q<TruthRow>(`SELECT c.key, c.id::text AS id, c.status::text AS status, s.name,
        to_char(c.said_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "saidAt"
      FROM claim c JOIN source s ON s.id = c.source_id WHERE ${c.where} ORDER BY ${ORDER_SQL[order]}`);
  }

  const cursorOf = (row: TruthRow, order: Order) =>
    encodeCursor(order === "STATUS" ? [row.status, row.saidAt, row.id] : order === "ACTOR" ? [row.name, row.saidAt, row.id] : [row.saidAt, row.id]);

  const PAGE = `query($filter: ClaimFilter, $orderBy: ClaimOrder, $first: Int, $after: String) {
    claims(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount totalCountIsExact nodes { key } pageInfo { hasNextPage endCursor }
    }
  }`;

  async function page(c: Case, order: Order, first: number, after: string | null) {
    return (await ok(PAGE, { filter: c.filter, orderBy: order, first, after })).claims;
  }

  test("random page sizes reproduce every order under every filter, with exact totals where promised", async () => {
    const all = cases();
    const truths = new Map<string, TruthRow[]>();
    for (const c of all) for (const order of Object.keys(ORDER_SQL) as Order[]) truths.set(`${c.label}/${order}`, await truth(c, order));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...all),
        fc.constantFrom(...(Object.keys(ORDER_SQL) as Order[])),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }),
        async (c, order, sizes) => {
          const expected = truths.get(`${c.label}/${order}`)!.map((r) => r.key);
          const seen: string[] = [];
          let after: string | null = null;
          for (let i = 0; ; i++) {
            const p = await page(c, order, sizes[i % sizes.length], after);
            if (c.covered || p.totalCountIsExact) expect({ page: i, total: p.totalCount }).toEqual({ page: i, total: expected.length });
            if (c.covered) expect(p.totalCountIsExact).toBe(true);
            seen.push(...p.nodes.map((n: { key: string }) => n.key));
            if (!p.pageInfo.hasNextPage) break;
            expect(seen.length).toBeLessThan(expected.length);
            after = p.pageInfo.endCursor;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test("STATUS and ACTOR pages after the last row of every group, and after every row of a small filter", async () => {
    for (const c of cases().filter((x) => x.covered)) {
      for (const order of ["STATUS", "ACTOR"] as const) {
        const rows = await truth(c, order);
        const group = (r: TruthRow) => (order === "STATUS" ? r.status : r.name);
        const small = rows.length <= 90;
        for (let i = 0; i < rows.length; i++) {
          const boundary = i === rows.length - 1 || group(rows[i]) !== group(rows[i + 1]);
          const tie = i + 1 < rows.length && rows[i].saidAt === rows[i + 1].saidAt && group(rows[i]) === group(rows[i + 1]);
          if (!small && !boundary && !(tie && i % 9 === 0)) continue;
          const p = await page(c, order, small ? 1 : 3, cursorOf(rows[i], order));
          const want = rows.slice(i + 1, i + 1 + (small ? 1 : 3)).map((r) => r.key);
          expect({ filter: c.label, order, after: i, keys: p.nodes.map((n: { key: string }) => n.key) }).toEqual({
            filter: c.label, order, after: i, keys: want,
          });
          expect(p.pageInfo.hasNextPage).toBe(i + 1 + want.length < rows.length);
        }
      }
    }
  });

  test("a STATUS cursor whose status no longer has claims continues with the next status", async () => {
    const c = cases()[0];
    const cursor = cursorOf((await truth(c, "STATUS")).find((r) => r.status === "MIXED")!, "STATUS");
    const mixed = await q<{ id: string }>(`SELECT id::text FROM claim WHERE status = 'MIXED'`);
    expect(mixed.length).toBeGreaterThan(0);
    try {
      await exec(`UPDATE claim SET status = 'UNVERIFIED' WHERE status = 'MIXED'`);
      const after = (await truth(c, "STATUS")).filter((r) => statusRank(r.status) > statusRank("MIXED"));
      const p = await page(c, "STATUS", 5, cursor);
      expect(p.nodes.map((n: { key: string }) => n.key)).toEqual(after.slice(0, 5).map((r) => r.key));
    } finally {
      await exec(`UPDATE claim SET status = 'MIXED' WHERE id IN (${mixed.map((r) => `'${r.id}'`).join(", ")})`);
    }
  });

  test("odd cursors and search strings are the client's error or a correct answer, never a server error", async () => {
    const c = cases()[0];
    const statusRow = (await truth(c, "STATUS"))[3];
    const actorRow = (await truth(c, "ACTOR"))[3];
    // A STATUS cursor's status read as a source name by ACTOR: a page, not an error (shape-compatible).
    const foreign = await gql(PAGE, { orderBy: "ACTOR", first: 3, after: cursorOf(statusRow, "STATUS") });
    expect(foreign.errors).toBeUndefined();
    // An ACTOR cursor (a name) given to STATUS, a NEWEST cursor given to STATUS and ACTOR: refused.
    for (const [orderBy, after] of [
      ["STATUS", cursorOf(actorRow, "ACTOR")],
      ["STATUS", cursorOf(actorRow, "NEWEST")],
      ["ACTOR", cursorOf(actorRow, "NEWEST")],
    ]) {
      const body = await gql(PAGE, { orderBy, first: 3, after });
      expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    // Names a text cursor may carry: a lone surrogate, quotes, a backslash, an empty name.
    for (const name of ["\ud800", "'\\\"", "", "zzzzzz", "Review Twin"]) {
      const body = await gql(PAGE, { orderBy: "ACTOR", first: 3, after: encodeCursor([name, "2020-01-03T00:00:00.000Z", "00000000-0000-0000-0000-000000000000"]) });
      expect({ name, errors: body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code) }).toEqual({ name, errors: undefined });
    }
    for (const search of ['"a b" -c or', "or", "-", "!", "a & | b", "'", "\\", "drones:*", "(drones", "-drones", '"', "the"]) {
      const body = await gql(PAGE, { filter: { search }, first: 100 });
      expect({ search, errors: body.errors }).toEqual({ search, errors: undefined });
      const want = await q<{ key: string }>(
        `SELECT c.key FROM claim c WHERE c.retired_at IS NULL AND ${tsMatch(search)} ORDER BY c.said_at DESC, c.id DESC LIMIT 100`,
      );
      expect({ search, keys: body.data.claims.nodes.map((n: { key: string }) => n.key) }).toEqual({ search, keys: want.map((r) => r.key) });
      const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM claim c WHERE c.retired_at IS NULL AND ${tsMatch(search)}`);
      if (body.data.claims.totalCountIsExact) expect({ search, total: body.data.claims.totalCount }).toEqual({ search, total: n });
    }
    for (const search of ["", "   ", "\t\n"]) {
      const body = await gql(PAGE, { filter: { search } });
      expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  test("totalCount of later pages and of first: 0 agrees with the first page's", async () => {
    for (const c of cases()) {
      const n = (await truth(c, "NEWEST")).length;
      const zero = await page(c, "NEWEST", 0, null);
      const first = await page(c, "NEWEST", 2, null);
      if (c.covered || zero.totalCountIsExact) expect({ label: c.label, total: zero.totalCount }).toEqual({ label: c.label, total: n });
      if (first.pageInfo.hasNextPage) {
        const second = await page(c, "NEWEST", 2, first.pageInfo.endCursor);
        if (c.covered || second.totalCountIsExact) expect({ label: c.label, total: second.totalCount }).toEqual({ label: c.label, total: n });
      }
    }
  });

  test("nested Source.claims and Event.claims totals (whole first pages skip the count) equal count(*)", async () => {
    for (const first of [0, 1, 3, 20]) {
      const data = await ok(`query($first: Int) { sources(first: 100) { nodes { id claims(first: $first) { totalCount nodes { key } } }
        } events(first: 100) { nodes { id claims(first: $first) { totalCount nodes { key } } } } }`, { first });
      const bySource = new Map(
        (await q<{ id: string; n: number }>(`SELECT source_id::text AS id, count(*)::int AS n FROM claim WHERE retired_at IS NULL GROUP BY 1`)).map((r) => [r.id, r.n]),
      );
      for (const s of data.sources.nodes) {
        expect({ id: s.id, first, n: s.claims.totalCount }).toEqual({ id: s.id, first, n: bySource.get(Buffer.from(s.id, "base64url").toString().split(":")[1]) ?? 0 });
      }
      const byEvent = new Map(
        (await q<{ id: string; n: number }>(`SELECT ce.event_id::text AS id, count(DISTINCT c.id)::int AS n FROM claim_event ce JOIN claim c ON c.id = ce.claim_id
           WHERE c.retired_at IS NULL GROUP BY 1`)).map((r) => [r.id, r.n]),
      );
      for (const e of data.events.nodes) {
        expect({ id: e.id, first, n: e.claims.totalCount }).toEqual({ id: e.id, first, n: byEvent.get(Buffer.from(e.id, "base64url").toString().split(":")[1]) ?? 0 });
      }
    }
  });

  test("sources, articles and events lists: pages of every size and odd searches equal plain SQL", async () => {
    const pageAll = async (field: string, filter: Record<string, unknown>, first: number, type: string) => {
      const keys: string[] = [];
      let total: number | null = null;
      for (let after: string | null = null; ; ) {
        const data = await ok(`query($filter: ${type}, $first: Int, $after: String) { ${field}(filter: $filter, first: $first, after: $after) {
            totalCount nodes { slug } pageInfo { hasNextPage endCursor } } }`, { filter, first, after });
        total ??= data[field].totalCount;
        expect(data[field].totalCount).toBe(total);
        keys.push(...data[field].nodes.map((n: { slug: string }) => n.slug));
        if (!data[field].pageInfo.hasNextPage) return { keys, total };
        after = data[field].pageInfo.endCursor;
      }
    };
    const escape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
    for (const search of ["Review", "review TWIN", "%", "_", "\\", "a%", "  Twin ", "'", ""]) {
      for (const first of [1, 7, 100]) {
        const got = await pageAll("sources", search ? { search } : {}, first, "SourceFilter");
        const name = search.trim();
        const key = search.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
        const want = await q<{ slug: string }>(
          search
            ? `SELECT slug FROM source s WHERE s.name ILIKE ${sqlText(`%${escape(name)}%`)} OR s.slug LIKE ${sqlText(`%${escape(key.replace(/\s+/g, "-"))}%`)}
                 OR EXISTS (SELECT 1 FROM source_alias sa WHERE sa.source_id = s.id AND sa.normalized LIKE ${sqlText(`%${escape(key)}%`)}) ORDER BY name, id`
            : `SELECT slug FROM source ORDER BY name, id`,
        );
        expect({ search, first, got }).toEqual({ search, first, got: { keys: want.map((r) => r.slug), total: want.length } });
      }
    }
    for (const search of ["soleimani", "SOLEIMANI", "%", "_", "\\", "'", "Iran"]) {
      for (const first of [1, 5, 100]) {
        const got = await pageAll("articles", { search }, first, "ArticleFilter");
        const want = await q<{ slug: string }>(
          `SELECT slug FROM article WHERE strpos(lower(title), lower(${sqlText(search.trim())})) > 0 ORDER BY published_at DESC, id DESC`,
        );
        expect({ search, first, got }).toEqual({ search, first, got: { keys: want.map((r) => r.slug), total: want.length } });
      }
    }
    // Event bounds at an event's own instant: `from` inclusive, `to` exclusive (the suite runs off UTC).
    const instants = await q<{ at: string }>(`SELECT DISTINCT to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM event ORDER BY 1`);
    const pick = [instants[1], instants[Math.floor(instants.length / 2)], instants[instants.length - 2]].map((r) => r.at);
    for (const from of pick) {
      for (const to of pick.filter((t) => t >= from)) {
        const got = await pageAll("events", { from, to }, 2, "EventFilter");
        const want = await q<{ slug: string }>(
          `SELECT slug FROM event WHERE occurred_at >= '${from.slice(0, -1)}' AND occurred_at < '${to.slice(0, -1)}' ORDER BY occurred_at, id`,
        );
        expect({ from, to, got }).toEqual({ from, to, got: { keys: want.map((r) => r.slug), total: want.length } });
      }
    }
  });

  /** The grouped dashboard against count(*) grouped by source, ties by id, for a few limits. */
  async function expectTopSourcesExact(limits = [1, 3, 5, 8, 100]) {
    for (const sourceLimit of limits) {
      const data = await ok(`query($n: Int) { claimStats(groupBySource: true, sourceLimit: $n) {
          total byStatus { status count } bySource { source { id } total byStatus { status count } } } }`, { n: sourceLimit });
      const top = await q<{ id: string; n: number }>(
        `SELECT source_id::text AS id, count(*)::int AS n FROM claim WHERE retired_at IS NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${sourceLimit}`,
      );
      const perStatus = await q<{ id: string; status: string; n: number }>(
        `SELECT source_id::text AS id, status::text AS status, count(*)::int AS n FROM claim WHERE retired_at IS NULL GROUP BY 1, 2`,
      );
      const counts = (id: string) => STATUSES.map((status) => ({ status, count: perStatus.find((r) => r.id === id && r.status === status)?.n ?? 0 }));
      expect({ sourceLimit, bySource: data.claimStats.bySource }).toEqual({
        sourceLimit,
        bySource: top.map((r) => ({ source: { id: toGlobalId("Source", r.id) }, total: r.n, byStatus: counts(r.id) })),
      });
      const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM claim WHERE retired_at IS NULL`);
      expect(data.claimStats.total).toBe(n);
    }
  }

  test("the grouped dashboard equals count(*) by source after random writes, folded or not", async () => {
    const slugs = Object.keys(ids);
    const write = fc.oneof(
      fc.record({ op: fc.constant("status" as const), pick: fc.nat(239), status: fc.constantFrom(...STATUSES) }),
      fc.record({ op: fc.constant("retire" as const), pick: fc.nat(239) }),
      fc.record({ op: fc.constant("restore" as const), pick: fc.nat(239) }),
      fc.record({ op: fc.constant("move" as const), pick: fc.nat(239), to: fc.constantFrom(...slugs) }),
      fc.record({ op: fc.constant("insert" as const), to: fc.constantFrom(...slugs), n: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ op: fc.constant("delete" as const), pick: fc.nat(239) }),
      fc.record({ op: fc.constant("fold" as const) }),
    );
    let inserted = 0;
    const claimAt = (pick: number) => `(SELECT id FROM claim WHERE key LIKE 'invariants/%' ORDER BY key OFFSET ${pick} % GREATEST(1, (SELECT count(*) FROM claim WHERE key LIKE 'invariants/%')) LIMIT 1)`;
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 8 }), async (writes) => {
        for (const w of writes) {
          if (w.op === "status") await exec(`UPDATE claim SET status = '${w.status}' WHERE id = ${claimAt(w.pick)}`);
          if (w.op === "retire") await exec(`UPDATE claim SET retired_at = now() WHERE id = ${claimAt(w.pick)}`);
          if (w.op === "restore") await exec(`UPDATE claim SET retired_at = NULL WHERE id = ${claimAt(w.pick)}`);
          if (w.op === "move") await exec(`UPDATE claim SET source_id = '${ids[w.to]}' WHERE id = ${claimAt(w.pick)}`);
          if (w.op === "delete") {
            await exec(`DELETE FROM claim_event WHERE claim_id = ${claimAt(w.pick)}`);
            await exec(`DELETE FROM verdict_change WHERE claim_id = ${claimAt(w.pick)}`);
            await exec(`DELETE FROM claim WHERE id = ${claimAt(w.pick)}`);
          }
          if (w.op === "insert") {
            await exec(`INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at, said_at_precision,
                quote_start, quote_end, quote_exact, status, updated_at)
              SELECT gen_random_uuid(), 'invariants/x' || ${inserted} || '-' || g, 'API', (SELECT id FROM article ORDER BY slug LIMIT 1), '${ids[w.to]}',
                'Inserted statement', 'PARAPHRASE', 'UNKNOWN', '2020-01-03', 'DAY', 0, 1, 'x', 'UNVERIFIED', now()
              FROM generate_series(1, ${w.n}) g`);
            inserted++;
          }
          if (w.op === "fold") await server.db.withSession(foldClaimCounts);
        }
        await expectTopSourcesExact([1, 3, 7]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await server.db.withSession(foldClaimCounts);
    await expectTopSourcesExact();
  });

  test("the grouped dashboard stays well-formed during concurrent writes and folds, and exact after", async () => {
    const twins = [ids["rv-twin-a"], ids["rv-twin-b"]];
    const writes = Array.from({ length: 24 }, (_, i) =>
      i % 6 === 5
        ? server.db.withSession(foldClaimCounts)
        : exec(`UPDATE claim SET source_id = '${twins[i % 2]}', status = '${STATUSES[i % STATUSES.length]}',
             retired_at = ${i % 4 === 0 ? "now()" : "NULL"}
           WHERE id = (SELECT id FROM claim WHERE key LIKE 'invariants/%' ORDER BY key OFFSET ${(i * 13) % 200} LIMIT 1)`),
    );
    const reads = Array.from({ length: 12 }, () =>
      ok(`{ claimStats(groupBySource: true, sourceLimit: 5) { total byStatus { count } bySource { source { id } total byStatus { count } } } }`),
    );
    const [, answers] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
    for (const { claimStats } of answers) {
      // Each answer is one snapshot: per-source totals are their statuses' sums, sorted, and within the total.
      for (const s of claimStats.bySource) expect(s.total).toBe(s.byStatus.reduce((a: number, b: { count: number }) => a + b.count, 0));
      const totals = claimStats.bySource.map((s: { total: number }) => s.total);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
      expect(claimStats.total).toBe(claimStats.byStatus.reduce((a: number, b: { count: number }) => a + b.count, 0));
    }
    await expectTopSourcesExact();
  });

  test("claimStats for every filter equals count(*) by status and by source (ties by id)", async () => {
    for (const c of cases()) {
      const data = await ok(`query($filter: ClaimFilter) { claimStats(filter: $filter, groupBySource: true, sourceLimit: 4) {
          total byStatus { status count } bySource { source { id } total } } }`, { filter: c.filter });
      const top = await q<{ id: string; n: number }>(`SELECT c.source_id::text AS id, count(*)::int AS n FROM claim c JOIN source s ON s.id = c.source_id
         WHERE ${c.where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 4`);
      const byStatus = await q<{ status: string; n: number }>(`SELECT c.status::text AS status, count(*)::int AS n FROM claim c JOIN source s ON s.id = c.source_id
         WHERE ${c.where} GROUP BY 1`);
      expect({ label: c.label, stats: data.claimStats }).toEqual({
        label: c.label,
        stats: {
          total: byStatus.reduce((a, r) => a + r.n, 0),
          byStatus: STATUSES.map((status) => ({ status, count: byStatus.find((r) => r.status === status)?.n ?? 0 })),
          bySource: top.map((r) => ({ source: { id: toGlobalId("Source", r.id) }, total: r.n })),
        },
      });
    }
  });

  test("an ACTOR walk page with every joined field equals the claims' own rows", async () => {
    const c = cases()[4];
    const rows = await truth(c, "ACTOR");
    const data = await ok(`query($filter: ClaimFilter, $after: String) { claims(filter: $filter, orderBy: ACTOR, first: 30, after: $after) {
        nodes { key text status saidAt source { id slug name } article { slug } } } }`, { filter: c.filter, after: cursorOf(rows[2], "ACTOR") });
    const want = await q<{ key: string; text: string; status: string; saidAt: string; sourceId: string; slug: string; name: string; article: string }>(
      `SELECT c.key, c.text, c.status::text AS status, to_char(c.said_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "saidAt", s.id::text AS "sourceId", s.slug, s.name, a.slug AS article
       FROM claim c JOIN source s ON s.id = c.source_id JOIN article a ON a.id = c.article_id WHERE ${c.where} ORDER BY ${ORDER_SQL.ACTOR} OFFSET 3 LIMIT 30`,
    );
    expect(data.claims.nodes).toEqual(
      want.map((r) => ({ key: r.key, text: r.text, status: r.status, saidAt: r.saidAt, source: { id: toGlobalId("Source", r.sourceId), slug: r.slug, name: r.name }, article: { slug: r.article } })),
    );
  });

  test("empty lists in filters match nothing in every order, with a zero total", async () => {
    for (const filter of [{ status: [] }, { kind: [] }, { status: [], includeRetired: true }, { actor: "rv-org", attribution: [] }]) {
      for (const orderBy of Object.keys(ORDER_SQL)) {
        for (const after of [null, encodeCursor(orderBy === "STATUS" ? ["MIXED", "2020-01-03T00:00:00.000Z", "00000000-0000-0000-0000-000000000000"] : orderBy === "ACTOR" ? ["Review", "2020-01-03T00:00:00.000Z", "00000000-0000-0000-0000-000000000000"] : ["2020-01-03T00:00:00.000Z", "00000000-0000-0000-0000-000000000000"])]) {
          const body = await gql(PAGE, { filter, orderBy, first: 5, after });
          expect({ filter, orderBy, after, errors: body.errors, nodes: body.data?.claims.nodes, total: body.data?.claims.totalCount }).toEqual({
            filter, orderBy, after, errors: undefined, nodes: [], total: 0,
          });
        }
      }
    }
  });

  test("nested claims with status, retired and link-type arguments: totals equal count(*)", async () => {
    for (const args of ["first: 0", "first: 2, status: [MIXED, TRUE]", "first: 100, includeRetired: true", "first: 1, includeRetired: true, status: [UNVERIFIED]"]) {
      const data = await ok(`{ sources(first: 10, filter: { search: "Review" }) { nodes { id claims(${args}) { totalCount nodes { key } } } } }`);
      const status = /status: \[([A-Z_, ]+)\]/.exec(args)?.[1].split(", ").map((x) => `'${x}'`).join(", ");
      for (const s of data.sources.nodes) {
        const id = Buffer.from(s.id, "base64url").toString().split(":")[1];
        const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM claim c WHERE c.source_id = '${id}'
          ${args.includes("includeRetired") ? "" : "AND c.retired_at IS NULL"} ${status ? `AND c.status IN (${status})` : ""}`);
        expect({ args, id, n: s.claims.totalCount }).toEqual({ args, id, n });
      }
    }
    for (const linkType of ["ABOUT", "JUSTIFIES"]) {
      const data = await ok(`{ events(first: 100) { nodes { id claims(first: 1, linkType: ${linkType}) { totalCount } } } }`);
      for (const e of data.events.nodes) {
        const id = Buffer.from(e.id, "base64url").toString().split(":")[1];
        const [{ n }] = await q<{ n: number }>(`SELECT count(DISTINCT c.id)::int AS n FROM claim_event ce JOIN claim c ON c.id = ce.claim_id
          WHERE ce.event_id = '${id}' AND ce.link_type = '${linkType}' AND c.retired_at IS NULL`);
        expect({ linkType, id, n: e.claims.totalCount }).toEqual({ linkType, id, n });
      }
    }
  });

  test("beyond 1,000 matches: a common word's count is an estimate, a rare word's stays exact, however often each is asked", async () => {
    await exec(`INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at, said_at_precision,
        quote_start, quote_end, quote_exact, status, updated_at)
      SELECT gen_random_uuid(), 'invariants/common-' || g, 'API', (SELECT id FROM article ORDER BY slug LIMIT 1), '${ids["rv-zz"]}',
        'Ubiquitous statement ' || g, 'PARAPHRASE', 'UNKNOWN', '2020-01-04', 'DAY', 0, 1, 'x', 'UNVERIFIED', now()
      FROM generate_series(1, 1100) g`);
    await exec(`ANALYZE claim`);
    const count = async (where: string) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM claim c WHERE c.retired_at IS NULL AND ${where}`))[0].n;
    const rare = await count(tsMatch("drones"));
    for (let i = 0; i < 7; i++) {
      for (const [search, first] of [["ubiquitous", 0], ["drones", 0], ["ubiquitous", 5], ["drones", 5]] as const) {
        const p = (await ok(PAGE, { filter: { search }, first })).claims;
        if (search === "drones") expect({ i, search, first, p: [p.totalCount, p.totalCountIsExact] }).toEqual({ i, search, first, p: [rare, true] });
        else expect({ i, search, first, exact: p.totalCountIsExact, over: p.totalCount > 1_000 }).toEqual({ i, search, first, exact: false, over: true });
      }
    }
    // Within a source that has none of the common word's claims: counted, exact.
    const within = (await ok(PAGE, { filter: { search: "ubiquitous", actor: "rv-org" }, first: 0 })).claims;
    expect([within.totalCount, within.totalCountIsExact]).toEqual([0, true]);
    // A status page deep into the 1,100 claims of one status and source.
    const c: Case = { label: "common source", filter: { actor: "rv-zz", status: ["UNVERIFIED"] }, where: `c.retired_at IS NULL AND c.source_id = '${ids["rv-zz"]}' AND c.status = 'UNVERIFIED'`, covered: true };
    for (const order of ["STATUS", "ACTOR"] as const) {
      const rows = await truth(c, order);
      for (const i of [0, 500, rows.length - 3]) {
        const p = await page(c, order, 2, cursorOf(rows[i], order));
        expect(p.nodes.map((n: { key: string }) => n.key)).toEqual(rows.slice(i + 1, i + 3).map((r) => r.key));
        expect(p.totalCount).toBe(rows.length);
      }
    }
  });

  /** A fresh PostgreSQL database opened with a 100 ms statement timeout (the lowest allowed), dropped after `fn`. */
  async function withShortTimeout(fn: (db: Awaited<ReturnType<typeof openDatabase>>, url: string) => Promise<void>) {
    const database = await createPostgresDatabase();
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PORT: "0", DATABASE_URL: database.url, DB_STATEMENT_TIMEOUT_MS: "100" });
    const db = await openDatabase(config, createLogger("silent"));
    try {
      await fn(db, database.url);
    } finally {
      await db.close();
      await database.drop();
    }
  }

  test("a migration outlasting the statement timeout applies, and the connection keeps its timeout after", async () => {
    if (kind !== "postgres") return;
    await withShortTimeout(async (db) => {
      const slow = { name: "99999999999999_slow", sql: "SELECT pg_sleep(0.3)", checksum: "slow" };
      const applied = await db.withSession((s) => applyMigrations(s, [...readMigrations(), slow]));
      expect(applied).toContain(slow.name);
      const timeouts = await db.withSession((s) => s.query<{ statement_timeout: string }>("SHOW statement_timeout"));
      expect(timeouts).toEqual([{ statement_timeout: "100ms" }]);
    });
  });

  // Another replica's `db:migrate` waits while the first builds an index for minutes: the wait for
  // the lock is not cut short by DB_STATEMENT_TIMEOUT_MS either.
  test("a second migrator waits for the first's lock instead of failing with a statement timeout", async () => {
    if (kind !== "postgres") return;
    await withShortTimeout(async (db, url) => {
      await db.withSession((s) => applyMigrations(s));
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query("SELECT pg_advisory_lock(72707369)");
        const second = db.withSession((s) => applyMigrations(s));
        await new Promise((resolve) => setTimeout(resolve, 600));
        await holder.query("SELECT pg_advisory_unlock(72707369)");
        await expect(second).resolves.toEqual([]);
      } finally {
        await holder.end();
      }
    });
  });
});
