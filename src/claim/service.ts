import {
  VerificationStatus,
  type Claim,
  type ClaimEventLinkType,
  type Prisma,
  type PrismaClient,
  type Source,
  type VerdictChange,
} from "../generated/prisma/client";
import type {
  ClaimFilter as ClaimFilterInput,
  EventClaimsArgs,
  QueryClaimsArgs,
  SourceClaimsArgs,
} from "../generated/graphql";
import type { SqlReader } from "../db/database";
import { PLAIN_LIST_ROWS, decodeCursor, isWholeList, pageSize, toConnection, type Connection, type CursorValue } from "../db/paging";
import { badInput } from "../validation/badInput";
import type { SourceService } from "../source/service";
import {
  EXACT_COUNT_LIMIT,
  cappedCountSql,
  counterStatsSql,
  counterTotalSql,
  counterTotalsBySourceSql,
  totalOf,
  withCounterTotalSql,
  estimateSql,
  estimatedRows,
  scanStatsSql,
  type CounterFilter,
  type StatsRow,
} from "./counts";
import { claimWithHistorySql, historySql, splitClaimWithHistory } from "./withHistory";
import { sourceOf, sourceWithClaimsSql } from "./sourcePage";
import type { ClaimProjection } from "./projection";
import { checkedSearch } from "./search";
import {
  CLAIMS,
  ORDERS,
  VERDICT_CHANGES,
  claimIdsSql,
  eventClaimCountsSql,
  filterSql,
  linkedToEvent,
  nestedPagesSql,
  walkSql,
  articleClaimsSql,
  pageSql,
  toClaimRows,
  type ClaimRow,
} from "./sql";

/** The API's claim filter with its IDs decoded to database ids (claim/resolvers.ts `claimFilter`). */
export type ClaimFilter = ClaimFilterInput;

/** What `list` reads: the `claims` query's arguments (filter decoded), the selection, and maybe only some claims. */
export type ClaimListOptions = QueryClaimsArgs & {
  filter?: ClaimFilter | null;
  projection?: ClaimProjection;
  /** Only these claims (the live feed's changed ones); counted from the claims, not the counters. */
  claimIds?: readonly string[];
  /** The client selected totalCount: a total the counters give is then read in the page's own statement. */
  totalSelected?: boolean;
};

export interface SourceStatusCounts {
  sourceId: string;
  total: number;
  byStatus: { status: VerificationStatus; count: number }[];
}

/** A connection's total and whether it is exact (see ClaimService.count). */
export interface TotalCount {
  value: number;
  exact: boolean;
}

/** A page of claims; `totalCountIsExact` shares the one lazy count with `totalCount`. */
export type ClaimConnection = Connection<ClaimRow> & { totalCountIsExact: () => Promise<boolean> };

function claimConnection(
  rows: ClaimRow[],
  size: number,
  cursorOf: (row: ClaimRow) => CursorValue[],
  count: () => Promise<TotalCount>,
  hasPrevious: boolean,
): ClaimConnection {
  let counted: Promise<TotalCount> | undefined;
  const total = () => (counted ??= isWholeList(rows, size, hasPrevious) ? Promise.resolve({ value: rows.length, exact: true }) : count());
  const connection = toConnection(rows, size, cursorOf, () => total().then((t) => t.value), hasPrevious);
  return Object.assign(connection, { totalCountIsExact: () => total().then((t) => t.exact) });
}

/** The ClaimFilter fields the claim counters answer. */
const COUNTED_FILTERS = new Set(["actor", "includeAffiliated", "sourceId", "status", "includeRetired"]);

/** Whose claims a nested list shows. */
export type NestedParent = "source" | "event";

/** The arguments of `Source.claims` and `Event.claims`. */
export type NestedClaimArgs = SourceClaimsArgs & EventClaimsArgs;

/** The first pages of many parents' claims (a list's nested `claims`), read together. */
export interface NestedPagesOptions {
  parent: NestedParent;
  parentIds: readonly string[];
  args: NestedClaimArgs;
  projection?: ClaimProjection;
}

const STATUS_ORDER = Object.values(VerificationStatus);

export class ClaimService {
  constructor(
    private readonly prisma: PrismaClient,
    /** The hot reads' hand-written SQL: lists, and lookups by id. */
    private readonly read: SqlReader,
    private readonly sources: SourceService,
  ) {}

  byIds(ids: readonly string[]): Promise<Claim[]> {
    return this.read<Claim>(CLAIMS.byIds(ids));
  }

  /** A claim with its verdict history in one statement (a claim page); null when there is none. */
  async withHistory(id: string): Promise<{ claim: Claim; history: VerdictChange[] } | null> {
    return splitClaimWithHistory(await this.read<Record<string, unknown>>(claimWithHistorySql(id)));
  }

  /** Checks a filter as a list would (an empty actor or search is BAD_USER_INPUT), reading no claim. */
  async checkFilter(filter: ClaimFilter): Promise<void> {
    await this.resolve(filter);
  }

  /**
   * The filter's SQL conditions, and the counter filter that counts its matches when the claim
   * counters cover it (sources, statuses, retired; nothing else), or null when nothing can match
   * (an unknown actor), which saves the query.
   */
  private async resolve(filter: ClaimFilter | null | undefined): Promise<{ where: Prisma.Sql[]; counters: CounterFilter | null } | null> {
    const actorSourceIds = filter?.actor != null ? await this.sources.resolveActor(filter.actor, filter.includeAffiliated ?? false) : null;
    if (actorSourceIds?.length === 0) return null;
    const search = checkedSearch(filter?.search);
    const where = filterSql({ ...filter, search }, actorSourceIds);
    let sourceIds = actorSourceIds;
    const sourceId = filter?.sourceId;
    if (sourceId) sourceIds = sourceIds ? sourceIds.filter((id) => id === sourceId) : [sourceId];
    // Covered only when every condition given is one the counters know: a filter added later is
    // counted from the claims until it is taught to the counters.
    const covered = Object.entries(filter ?? {}).every(([name, value]) => value == null || COUNTED_FILTERS.has(name));
    const counters = covered ? { sourceIds, statuses: filter?.status ?? null, includeRetired: filter?.includeRetired ?? false } : null;
    return { where, counters };
  }

  async list({ filter, orderBy, first, after, projection, claimIds, totalSelected }: ClaimListOptions): Promise<ClaimConnection> {
    const order = orderBy ?? "NEWEST";
    const size = pageSize(first);
    const spec = ORDERS[order];
    const cursor = after ? decodeCursor(after, spec.cursorShape) : null;
    const resolved = await this.resolve(filter);
    if (!resolved) return claimConnection([], size, spec.cursorOf, async () => ({ value: 0, exact: true }), Boolean(after));
    const where = claimIds ? [...resolved.where, claimIdsSql(claimIds)] : resolved.where;
    const counters = claimIds ? null : resolved.counters;
    // Counter-covered filters are the ones the per-source and per-status indexes serve: an ACTOR page
    // walks sources, a STATUS page after a cursor walks statuses (its first page is one index scan).
    const walk = counters && (order === "ACTOR" || (order === "STATUS" && cursor)) ? order : null;
    const page = walk
      ? walkSql({ order: walk, conditions: where, after: cursor, sourceIds: counters!.sourceIds, limit: size + 1, projection })
      : pageSql(cursor ? [...where, spec.after(cursor)] : where, order, size + 1, projection);
    const withTotal = totalSelected && counters && counters.sourceIds?.length !== 0;
    const rows = await this.read<Record<string, unknown>>(withTotal ? withCounterTotalSql(page, counters) : page);
    // An empty page carries no total: it is then counted apart (a first page is its own total anyway).
    const carried = withTotal && rows.length ? totalOf(rows) : null;
    const count = () => (carried !== null ? Promise.resolve({ value: carried, exact: true }) : this.count(where, counters));
    return claimConnection(toClaimRows(rows), size, spec.cursorOf, count, Boolean(after));
  }

  /**
   * The first page of claims of each parent (sources' or events' claims under a list of them) in
   * one statement: a LATERAL page per parent id, each an index seek as for a single parent.
   */
  async pagesFor(options: NestedPagesOptions): Promise<ClaimConnection[]> {
    return this.nestedConnections(options, await this.read<Record<string, unknown>>(this.nestedPagesSql(options)));
  }

  /** A source and the first page of its claims in one statement (an actor's page); null when there is no such source. */
  async sourceWithClaims(sourceId: string, args: NestedClaimArgs, projection: ClaimProjection): Promise<{ source: Source; claims: ClaimConnection } | null> {
    const options = { parent: "source" as const, parentIds: [sourceId], args, projection };
    const rows = await this.read<Record<string, unknown>>(sourceWithClaimsSql(sourceId, this.nestedPagesSql(options)));
    if (rows.length === 0) return null;
    const [claims] = this.nestedConnections(options, rows[0].__parentId == null ? [] : rows);
    return { source: sourceOf(rows[0]), claims };
  }

  private nestedPagesSql({ parent, parentIds, args, projection }: NestedPagesOptions): Prisma.Sql {
    const cursor = args.after ? decodeCursor(args.after, ORDERS.NEWEST.cursorShape) : null;
    const common = filterSql({ status: args.status, includeRetired: args.includeRetired }, null);
    return nestedPagesSql(parent, parentIds, { conditions: common, linkType: args.linkType ?? null, after: cursor, limit: pageSize(args.first) + 1, projection });
  }

  /** Each parent's connection from nestedPagesSql's rows. */
  private nestedConnections({ parent, parentIds, args }: NestedPagesOptions, rows: Record<string, unknown>[]): ClaimConnection[] {
    const size = pageSize(args.first);
    const spec = ORDERS.NEWEST;
    const linkType = args.linkType ?? null;
    const common = filterSql({ status: args.status, includeRetired: args.includeRetired }, null);
    const byParent = new Map<string, ClaimRow[]>();
    const claims = toClaimRows(rows);
    for (let i = 0; i < claims.length; i++) {
      const parentId = rows[i].__parentId as string;
      const rowsOf = byParent.get(parentId);
      if (rowsOf) rowsOf.push(claims[i]);
      else byParent.set(parentId, [claims[i]]);
    }
    // Counts are read only if a client selects totalCount, then for every parent at once.
    let counted: Promise<Map<string, number>> | undefined;
    const counts = () =>
      (counted ??=
        parent === "source"
          ? this.countsBySource({ sourceIds: [...parentIds], statuses: args.status ?? null, includeRetired: args.includeRetired ?? false })
          : this.countsByEvent(parentIds, common, linkType));
    return parentIds.map((id) =>
      claimConnection(byParent.get(id) ?? [], size, spec.cursorOf, () => this.nestedTotal(id, counts, parent, common, linkType), Boolean(args.after)),
    );
  }

  private async nestedTotal(
    id: string,
    counts: () => Promise<Map<string, number>>,
    parent: NestedParent,
    common: Prisma.Sql[],
    linkType: ClaimEventLinkType | null,
  ): Promise<TotalCount> {
    const n = (await counts()).get(id) ?? 0;
    if (parent === "source" || n <= EXACT_COUNT_LIMIT) return { value: n, exact: true };
    return this.count([...common, linkedToEvent(id, linkType)], null);
  }

  /** Claims per event for a batch of events, each counted up to EXACT_COUNT_LIMIT + 1. */
  private async countsByEvent(eventIds: readonly string[], common: Prisma.Sql[], linkType: ClaimEventLinkType | null): Promise<Map<string, number>> {
    const rows = await this.read<{ eventId: string; n: number }>(eventClaimCountsSql(eventIds, linkType, common, EXACT_COUNT_LIMIT + 1));
    return new Map(rows.map((r) => [r.eventId, r.n]));
  }

  /**
   * How many claims match: from the counters when they cover the filter. Otherwise the planner's
   * estimate comes first: above EXACT_COUNT_LIMIT it is the answer, marked inexact, so a common
   * search term is never counted; below, the matches are counted up to the limit, and a count that
   * reaches it falls back to the estimate (never below the count).
   */
  private async count(where: Prisma.Sql[], counters: CounterFilter | null): Promise<TotalCount> {
    if (counters) return { value: await this.countersTotal(counters), exact: true };
    const estimate = estimatedRows(await this.read<Record<string, unknown>>(estimateSql(where)));
    if (estimate > EXACT_COUNT_LIMIT) return { value: estimate, exact: false };
    const [{ n }] = await this.read<{ n: number }>(cappedCountSql(where));
    if (n <= EXACT_COUNT_LIMIT) return { value: n, exact: true };
    return { value: Math.max(estimate, n), exact: false };
  }

  private async countersTotal(counters: CounterFilter): Promise<number> {
    if (counters.sourceIds?.length === 0) return 0;
    const [{ n }] = await this.read<{ n: number }>(counterTotalSql(counters));
    return n;
  }

  /** Claim counts per source for a batch of sources (a directory's `claims { totalCount }`), in one statement. */
  async countsBySource(filter: CounterFilter & { sourceIds: string[] }): Promise<Map<string, number>> {
    const rows = await this.read<{ sourceId: string; n: number }>(counterTotalsBySourceSql(filter));
    return new Map(rows.map((r) => [r.sourceId, r.n]));
  }

  /**
   * Per-status counts for a filter, optionally broken down by the sources with the most claims:
   * from the counters when they cover the filter (no claim is read), else counted from the claims.
   */
  async stats({ filter, groupBySource, sourceLimit }: { filter?: ClaimFilter | null; groupBySource: boolean; sourceLimit: number }) {
    if (groupBySource && (!Number.isInteger(sourceLimit) || sourceLimit < 1 || sourceLimit > 100)) {
      throw badInput(`sourceLimit must be between 1 and 100, got ${sourceLimit}`, "sourceLimit");
    }
    const resolved = await this.resolve(filter);
    const limit = groupBySource ? sourceLimit : null;
    const rows = !resolved
      ? []
      : await this.read<StatsRow>(
          resolved.counters ? counterStatsSql(resolved.counters, limit) : scanStatsSql(resolved.where, limit),
        );
    const byStatus = countsByStatus(rows.filter((r) => r.sourceId === null));
    const total = byStatus.reduce((sum, s) => sum + s.count, 0);
    if (!groupBySource) return { total, byStatus, bySource: null };
    const perSource = new Map<string, StatsRow[]>();
    for (const row of rows) if (row.sourceId !== null) perSource.set(row.sourceId, [...(perSource.get(row.sourceId) ?? []), row]);
    const bySource = [...perSource]
      .map(([sourceId, counts]): SourceStatusCounts => {
        const statuses = countsByStatus(counts);
        return { sourceId, total: statuses.reduce((sum, s) => sum + s.count, 0), byStatus: statuses };
      })
      .sort((a, b) => b.total - a.total || (a.sourceId < b.sourceId ? -1 : 1));
    return { total, byStatus, bySource };
  }

  verdictChangesByIds(ids: readonly string[]): Promise<VerdictChange[]> {
    return this.read<VerdictChange>(VERDICT_CHANGES.byIds(ids));
  }

  historyFor(claimIds: readonly string[]): Promise<VerdictChange[]> {
    return this.read<VerdictChange>(historySql(claimIds));
  }

  eventLinksFor(claimIds: readonly string[]) {
    return this.prisma.claimEvent.findMany({
      where: { claimId: { in: [...claimIds] } },
      orderBy: [{ event: { occurredAt: "asc" } }, { linkType: "asc" }],
      take: PLAIN_LIST_ROWS,
    });
  }

  byArticle(articleIds: readonly string[], includeRetired: boolean): Promise<Claim[]> {
    return this.read<Claim>(articleClaimsSql(articleIds, includeRetired));
  }
}

function countsByStatus(rows: { status: VerificationStatus; n: number }[]) {
  const counts = new Map<VerificationStatus, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + r.n);
  return STATUS_ORDER.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}
