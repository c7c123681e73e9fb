import { Prisma, type VerificationStatus } from "../generated/prisma/client";
import type { SqlSession } from "../db/database";
import { and } from "../db/columns";

/**
 * Claim counts from the per-(source, status, retired) counters that triggers keep (migration
 * 20261126011500_search_and_claim_counts): a count or a dashboard for the common filters reads a
 * few counter rows instead of every matching claim.
 */

/** The part of a claim filter the counters answer: which sources and statuses, retired or not. */
export interface CounterFilter {
  /** null: every source. */
  sourceIds: string[] | null;
  /** null: every status. */
  statuses: VerificationStatus[] | null;
  includeRetired: boolean;
}

/**
 * A count the counters cannot answer is exact only up to this many matching claims; beyond it, it is
 * the planner's estimate (`totalCountIsExact: false`). Counting visits about one heap page per match,
 * and a common search term's whole posting list, so an exact count grows with the table: 10,000
 * matches took ~120 ms at 1M claims, a common word's estimate under a millisecond at any size.
 */
export const EXACT_COUNT_LIMIT = 1_000;

// Folded counters and the deltas not folded yet, in one statement so both come from one snapshot.
const COUNTERS = Prisma.sql`(SELECT source_id, status, retired, n FROM claim_count
  UNION ALL SELECT source_id, status, retired, n FROM claim_count_delta) k`;
// The same over every source: the folded part from claim_total's dozen rows (no source id).
const TOTALS = Prisma.sql`(SELECT NULL::uuid AS source_id, status, retired, n FROM claim_total
  UNION ALL SELECT source_id, status, retired, n FROM claim_count_delta) k`;

/** The counter relation `k` a filter reads: per source only when it names sources or groups by them. */
function counters(filter: CounterFilter, bySource: boolean): Prisma.Sql {
  return bySource || filter.sourceIds ? COUNTERS : TOTALS;
}

function counterConditions(filter: CounterFilter, bySource: boolean): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (!filter.includeRetired) where.push(Prisma.sql`NOT k.retired`);
  // Arrays bound as one parameter each: one prepared statement per query shape, whatever the lengths.
  if (bySource || filter.sourceIds) where.push(Prisma.sql`k.source_id = ANY(${filter.sourceIds ?? []}::uuid[])`);
  if (filter.statuses) where.push(Prisma.sql`k.status = ANY(${filter.statuses}::text[]::"VerificationStatus"[])`);
  return and(where);
}

/** The number of claims a counter filter matches. */
export function counterTotalSql(filter: CounterFilter): Prisma.Sql {
  return Prisma.sql`SELECT COALESCE(sum(k.n), 0)::int AS n FROM ${counters(filter, false)} WHERE ${counterConditions(filter, false)}`;
}

// The column a page carries its counter total in (toClaimRows leaves `__` columns out of the claims).
const TOTAL_COLUMN = "__total";

/**
 * A page of claims with the counters' total of its filter on every row (an uncorrelated scalar
 * subquery, computed once): page and totalCount in one round trip. The page keeps its own order
 * (nothing above the subquery reorders it); an empty page has no row to carry the total.
 */
export function withCounterTotalSql(page: Prisma.Sql, filter: CounterFilter): Prisma.Sql {
  return Prisma.sql`SELECT x.*, (${counterTotalSql(filter)}) AS ${Prisma.raw(`"${TOTAL_COLUMN}"`)} FROM (${page}) x`;
}

/** The total withCounterTotalSql's rows carry. */
export function totalOf(rows: Record<string, unknown>[]): number {
  return rows[0][TOTAL_COLUMN] as number;
}

/** The number of claims per source for a batch of sources (filter.sourceIds), zero counts left out. */
export function counterTotalsBySourceSql(filter: CounterFilter & { sourceIds: string[] }): Prisma.Sql {
  return Prisma.sql`SELECT k.source_id AS "sourceId", sum(k.n)::int AS n FROM ${counters(filter, true)}
    WHERE ${counterConditions(filter, true)} GROUP BY k.source_id HAVING sum(k.n) <> 0`;
}

/** Rows of a dashboard: `sourceId` null for the per-status totals, else one of the top sources' counts. */
export interface StatsRow {
  sourceId: string | null;
  status: VerificationStatus;
  n: number;
}

/**
 * Per-status totals, and with a source limit the per-status counts of the sources with the most
 * claims (ties by id), from `counts`: a relation of (source_id, status, n).
 */
function statsSql(counts: Prisma.Sql, sourceLimit: number | null): Prisma.Sql {
  const top =
    sourceLimit === null
      ? Prisma.empty
      : Prisma.sql`UNION ALL SELECT counts.source_id, counts.status::text, counts.n::int FROM counts JOIN (
          SELECT source_id FROM counts GROUP BY source_id ORDER BY sum(n) DESC, source_id LIMIT ${sourceLimit}
        ) top ON top.source_id = counts.source_id`;
  return Prisma.sql`WITH counts AS MATERIALIZED (${counts})
    SELECT NULL::uuid AS "sourceId", status::text AS status, sum(n)::int AS n FROM counts GROUP BY status
    ${top}`;
}

/**
 * The sources with the most claims (ties by id) for a counter filter. Over every status and without
 * retired claims (the default dashboard) they come from claim_source_total's (retired, n) index:
 * the top sources among those with no pending delta, plus every source with one (its folded total
 * plus its deltas), ranked again. Exact: a source outside both sets has no delta, so its total is its
 * folded one, which the first set's `limit` sources all reach. Other filters rank the per-source
 * counters (20k rows, ~7 ms at 1M claims, against well under 1 ms from the index).
 */
function topSourcesSql(filter: CounterFilter, limit: number): Prisma.Sql {
  if (filter.statuses || filter.sourceIds || filter.includeRetired) {
    return Prisma.sql`SELECT k.source_id FROM ${COUNTERS} WHERE ${counterConditions(filter, false)}
      GROUP BY k.source_id HAVING sum(k.n) <> 0 ORDER BY sum(k.n) DESC, k.source_id LIMIT ${limit}`;
  }
  return Prisma.sql`SELECT source_id FROM (
      (SELECT t.source_id, t.n FROM claim_source_total t
       WHERE NOT t.retired AND t.n <> 0
         AND NOT EXISTS (SELECT 1 FROM claim_count_delta d WHERE d.source_id = t.source_id AND NOT d.retired)
       ORDER BY t.n DESC, t.source_id LIMIT ${limit})
      UNION ALL
      SELECT d.source_id, COALESCE(max(t.n), 0) + sum(d.n) FROM claim_count_delta d
      LEFT JOIN claim_source_total t ON t.source_id = d.source_id AND NOT t.retired
      WHERE NOT d.retired GROUP BY d.source_id
    ) candidate WHERE n <> 0 ORDER BY n DESC, source_id LIMIT ${limit}`;
}

/**
 * The dashboard from the counters: per-status totals (claim_total's rows without a source filter),
 * and with a source limit the top sources (topSourcesSql), then their per-status counts read by key.
 */
export function counterStatsSql(filter: CounterFilter, sourceLimit: number | null): Prisma.Sql {
  const where = counterConditions(filter, false);
  const totals = Prisma.sql`SELECT NULL::uuid AS "sourceId", k.status::text AS status, sum(k.n)::int AS n
    FROM ${counters(filter, false)} WHERE ${where} GROUP BY k.status HAVING sum(k.n) <> 0`;
  if (sourceLimit === null) return totals;
  // A LATERAL per top source, so its counter rows are read by key: `IN (SELECT … FROM top)` over the
  // union was planned as a hash join over every counter row (20k at 1M claims, ~8 ms).
  return Prisma.sql`WITH top AS (${topSourcesSql(filter, sourceLimit)})
    ${totals}
    UNION ALL
    SELECT k.source_id, k.status::text, sum(k.n)::int FROM top CROSS JOIN LATERAL (
      SELECT source_id, status, retired, n FROM claim_count WHERE source_id = top.source_id
      UNION ALL SELECT source_id, status, retired, n FROM claim_count_delta WHERE source_id = top.source_id
    ) k
    WHERE ${where} GROUP BY k.source_id, k.status HAVING sum(k.n) <> 0`;
}

/** The dashboard counted from the claims themselves, for filters the counters do not cover. */
export function scanStatsSql(where: Prisma.Sql[], sourceLimit: number | null): Prisma.Sql {
  return statsSql(
    Prisma.sql`SELECT c.source_id, c.status, count(*) AS n FROM claim c WHERE ${and(where)} GROUP BY c.source_id, c.status`,
    sourceLimit,
  );
}

/** Counts matching claims, but stops after EXACT_COUNT_LIMIT + 1 of them. */
export function cappedCountSql(where: Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM claim c WHERE ${and(where)} LIMIT ${EXACT_COUNT_LIMIT + 1}) m`;
}

/** The planner's estimate of the number of matching claims (statistics only; nothing is read). */
export function estimateSql(where: Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM claim c WHERE ${and(where)}`;
}

/** Reads the row estimate from `estimateSql`'s answer (a JSON value, parsed or not by the driver). */
export function estimatedRows(rows: Record<string, unknown>[]): number {
  const plan = rows[0]?.["QUERY PLAN"];
  const parsed = typeof plan === "string" ? JSON.parse(plan) : plan;
  return Math.round(Number(parsed?.[0]?.Plan?.["Plan Rows"] ?? 0));
}

/**
 * Folds the deltas the triggers appended into the counters. Safe to run from several processes at
 * once: a delta row is deleted, and so counted, by exactly one of them; the upsert is sorted so two
 * folds lock counter rows in the same order. Then the folded rows' dead tuples are vacuumed away:
 * every count reads the delta table whole, and left to autovacuum (which waits for 20% of the table
 * to be dead, and may be busy elsewhere for minutes) 15k dead rows after a bulk import made each
 * count scan them: ~6 ms instead of well under one.
 */
export async function foldClaimCounts(session: SqlSession): Promise<void> {
  const [{ n }] = await session.query<{ n: number }>(FOLD_COUNTS);
  // SKIP_LOCKED: another process's fold is vacuuming it already.
  if (n > 0) await session.exec("VACUUM (SKIP_LOCKED) claim_count_delta");
}

const FOLD_COUNTS = `WITH folded AS (DELETE FROM claim_count_delta RETURNING source_id, status, retired, n),
  applied AS (
    INSERT INTO claim_count AS t (source_id, status, retired, n)
    SELECT source_id, status, retired, sum(n) FROM folded GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (source_id, status, retired) DO UPDATE SET n = t.n + EXCLUDED.n
  )
  SELECT count(*)::int AS n FROM folded`;
