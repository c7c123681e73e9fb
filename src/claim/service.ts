import { z } from "zod";
import {
  AttributionStatus,
  VerificationStatus,
  type Claim,
  type ClaimEventLinkType,
  type Prisma,
  type PrismaClient,
  type VerdictChange,
} from "../generated/prisma/client";
import type {
  ClaimCreateInput,
  ClaimFilter as ClaimFilterInput,
  ClaimSetAttributionInput,
  ClaimSetStatusInput,
  ClaimUpdateInput,
  EventClaimsArgs,
  QueryClaimsArgs,
  SourceClaimsArgs,
} from "../generated/graphql";
import type { Actor } from "../auth/actor";
import type { SqlReader } from "../db/database";
import { transactionWithRetry } from "../db/transaction";
import { decodeCursor, isWholeList, pageSize, toConnection, type Connection, type CursorValue } from "../db/paging";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { badInput } from "../validation/badInput";
import type { SourceService } from "../source/service";
import { selectorAt } from "../article/anchoring";
import { clearable, evidenceUrls, publicExplanation, rationale } from "../validation/fields";
import {
  EXACT_COUNT_LIMIT,
  cappedCountSql,
  counterStatsSql,
  counterTotalSql,
  counterTotalsBySourceSql,
  estimateSql,
  estimatedRows,
  scanStatsSql,
  type CounterFilter,
  type StatsRow,
} from "./counts";
import { locateQuote } from "./quote";
import type { ClaimProjection } from "./projection";
import {
  CLAIMS,
  ORDERS,
  VERDICT_CHANGES,
  claimIdsSql,
  eventClaimCountsSql,
  filterSql,
  historySql,
  linkedToEvent,
  lockVerdictsSql,
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

/** What a verdict change reads of its input (`claimId` a database id). */
type VerdictInput = Pick<ClaimSetStatusInput, "claimId" | "rationale" | "evidenceUrls"> & Partial<Pick<ClaimSetStatusInput, "publicExplanation">>;

const STATUS_ORDER = Object.values(VerificationStatus);
// Statuses that record no judgement, so they need no rationale.
const NO_JUDGEMENT = new Set<string>(["UNVERIFIED", "IN_REVIEW", "UNCHECKED"]);

const verdictInput = z.object({ rationale: clearable(rationale), publicExplanation: clearable(publicExplanation), evidenceUrls });

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
    const search = filter?.search?.trim();
    if (filter?.search != null && !search) throw badInput("search must not be empty", "filter.search");
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

  async list({ filter, orderBy, first, after, projection, claimIds }: ClaimListOptions): Promise<ClaimConnection> {
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
    const rows = await this.read<Record<string, unknown>>(
      walk
        ? walkSql({ order: walk, conditions: where, after: cursor, sourceIds: counters!.sourceIds, limit: size + 1, projection })
        : pageSql(cursor ? [...where, spec.after(cursor)] : where, order, size + 1, projection),
    );
    return claimConnection(toClaimRows(rows), size, spec.cursorOf, () => this.count(where, counters), Boolean(after));
  }

  /**
   * The first page of claims of each parent (sources' or events' claims under a list of them) in
   * one statement: a LATERAL page per parent id, each an index seek as for a single parent.
   */
  async pagesFor({ parent, parentIds, args, projection }: NestedPagesOptions): Promise<ClaimConnection[]> {
    const size = pageSize(args.first);
    const spec = ORDERS.NEWEST;
    const cursor = args.after ? decodeCursor(args.after, spec.cursorShape) : null;
    const linkType = args.linkType ?? null;
    const common = filterSql({ status: args.status, includeRetired: args.includeRetired }, null);
    const rows = await this.read<Record<string, unknown>>(
      nestedPagesSql(parent, parentIds, { conditions: common, linkType, after: cursor, limit: size + 1, projection }),
    );
    const byParent = new Map<string, ClaimRow[]>();
    for (const row of toClaimRows(rows)) {
      const { parentId } = row as ClaimRow & { parentId?: string };
      delete (row as ClaimRow & { parentId?: string }).parentId;
      byParent.set(parentId!, [...(byParent.get(parentId!) ?? []), row]);
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
    });
  }

  byArticle(articleIds: readonly string[], includeRetired: boolean): Promise<Claim[]> {
    return this.read<Claim>(articleClaimsSql(articleIds, includeRetired));
  }

  /** claimSetStatus (`claimId` a database id). */
  setStatus(input: ClaimSetStatusInput, actor: Actor): Promise<Claim> {
    return this.recordVerdict(input, actor, "VERIFICATION", input.status, input.expectedStatus);
  }

  /** claimSetAttribution (`claimId` a database id). */
  setAttribution(input: ClaimSetAttributionInput, actor: Actor): Promise<Claim> {
    return this.recordVerdict(input, actor, "ATTRIBUTION", input.attribution, input.expectedAttribution);
  }

  /**
   * Updates the verdict and appends to the history in one transaction, with the claim row locked:
   * a concurrent change waits for the lock, then sees this one. With `expected` (the value the
   * editor saw) a verdict that changed meanwhile is a CONFLICT and nothing is written.
   */
  private async recordVerdict(
    input: VerdictInput,
    actor: Actor,
    aspect: "VERIFICATION" | "ATTRIBUTION",
    to: string,
    expected: string | null | undefined,
  ): Promise<Claim> {
    const verdict = parseInput(verdictInput, {
      rationale: input.rationale,
      publicExplanation: input.publicExplanation,
      evidenceUrls: (input.evidenceUrls ?? []).map(String),
    });
    const rationale = verdict.rationale || null;
    if (!rationale && !NO_JUDGEMENT.has(to)) {
      throw new UserErrors([userError("REQUIRED", `a rationale is required to set ${to}`, ["input", "rationale"])]);
    }
    const id = input.claimId;
    return transactionWithRetry(this.prisma, async (tx) => {
      const [current] = await tx.$queryRaw<{ status: VerificationStatus; attribution: AttributionStatus; retired_at: Date | null }[]>(lockVerdictsSql(id));
      if (!current) throw notFound();
      if (current.retired_at) throw retired();
      const verification = aspect === "VERIFICATION";
      const now = verification ? current.status : current.attribution;
      if (expected != null && expected !== now) {
        const field = verification ? "expectedStatus" : "expectedAttribution";
        const message = `another change landed first: the ${verification ? "status" : "attribution"} is ${now}, not ${expected}; nothing was changed`;
        throw new UserErrors([userError("CONFLICT", message, ["input", field])], { claim: await tx.claim.findUniqueOrThrow({ where: { id } }) });
      }
      await tx.verdictChange.create({
        data: {
          claimId: id,
          aspect,
          ...(verification
            ? { fromStatus: current.status, toStatus: to as VerificationStatus }
            : { fromAttribution: current.attribution, toAttribution: to as AttributionStatus }),
          rationale,
          // Only a verdict on the claim itself is published (ClaimReview's ratingExplanation).
          publicExplanation: verification ? verdict.publicExplanation || null : null,
          evidenceUrls: verdict.evidenceUrls,
          changedBy: actor.name,
          apiKeyId: actor.apiKeyId,
        },
      });
      return tx.claim.update({
        where: { id },
        data: verification
          ? { status: to as VerificationStatus, statusOrigin: "EDITOR" }
          : { attribution: to as AttributionStatus, attributionOrigin: "EDITOR" },
      });
    });
  }

  /** claimCreate (`articleId` and `sourceId` database ids). */
  async create(input: ClaimCreateInput): Promise<Claim> {
    const article = await this.prisma.article.findUnique({ where: { id: input.articleId } });
    const source = await this.prisma.source.findUnique({ where: { id: input.sourceId }, select: { id: true } });
    const errors = [];
    if (!article) errors.push(userError("NOT_FOUND", "no article with this ID", ["input", "articleId"]));
    if (!source) errors.push(userError("NOT_FOUND", "no source with this ID", ["input", "sourceId"]));
    const text = input.text.trim();
    if (!text) errors.push(userError("REQUIRED", "text must not be empty", ["input", "text"]));
    if (input.saidAt && input.saidAtPrecision === "UNKNOWN") errors.push(unknownWithDate());
    if (!article || !source || errors.length) throw new UserErrors(errors);
    const span = this.locate(article.body, input.quote ?? text);
    return this.prisma.claim.create({
      data: {
        key: `${article.slug}/api-${crypto.randomUUID()}`,
        origin: "API",
        articleId: article.id,
        sourceId: source.id,
        text,
        kind: input.kind,
        channel: input.channel ?? "UNKNOWN",
        saidAt: input.saidAt ?? article.publishedAt,
        saidAtPrecision: input.saidAt ? (input.saidAtPrecision ?? "DAY") : "UNKNOWN",
        ...span,
      },
    });
  }

  /** claimUpdate (`claimId` and `sourceId` database ids). */
  async update(input: ClaimUpdateInput): Promise<Claim> {
    const claim = await this.prisma.claim.findUnique({ where: { id: input.claimId }, include: { article: true } });
    if (!claim) throw notFound();
    if (claim.retiredAt) throw retired();
    let sourceId: string | undefined;
    if (input.sourceId) {
      const found = await this.prisma.source.findUnique({ where: { id: input.sourceId }, select: { id: true } });
      if (!found) throw new UserErrors([userError("NOT_FOUND", "no source with this ID", ["input", "sourceId"])]);
      sourceId = found.id;
    }
    const text = input.text?.trim();
    if (input.text != null && !text) throw new UserErrors([userError("REQUIRED", "text must not be empty", ["input", "text"])]);
    // UNKNOWN always stores the article's publication date, never a specific one (README: dates).
    const precision = input.saidAtPrecision ?? (input.saidAt ? claim.saidAtPrecision : undefined);
    if (input.saidAt && precision === "UNKNOWN") throw new UserErrors([unknownWithDate()]);
    const saidAt = precision === "UNKNOWN" ? claim.article.publishedAt : input.saidAt;
    const span = input.quote != null || text ? this.locate(claim.article.body, input.quote ?? text ?? claim.quoteExact) : {};
    return this.prisma.claim.update({
      where: { id: claim.id },
      data: {
        text: text ?? undefined,
        kind: input.kind ?? undefined,
        channel: input.channel ?? undefined,
        sourceId,
        saidAt: saidAt ?? undefined,
        saidAtPrecision: input.saidAtPrecision ?? undefined,
        ...span,
      },
    });
  }

  async retire(id: string): Promise<Claim> {
    const claim = await this.prisma.claim.findUnique({ where: { id } });
    if (!claim) throw notFound();
    if (claim.retiredAt) return claim;
    return this.prisma.claim.update({ where: { id: claim.id }, data: { retiredAt: new Date() } });
  }

  private locate(body: string, exact: string) {
    const found = locateQuote(body, exact);
    if ("error" in found) {
      const message =
        found.error === "NOT_FOUND"
          ? "the quote does not occur verbatim in the article body"
          : `the quote occurs ${found.count} times in the article body; quote more context`;
      throw new UserErrors([userError("QUOTE_NOT_FOUND", message, ["input", "quote"])]);
    }
    // A quote set by an editor is a fresh selector: anchored exactly, context captured now.
    return { ...selectorAt(body, found.start, found.end), anchoring: "EXACT" as const, anchorScore: null };
  }
}

function countsByStatus(rows: { status: VerificationStatus; n: number }[]) {
  const counts = new Map<VerificationStatus, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + r.n);
  return STATUS_ORDER.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

function unknownWithDate() {
  return userError(
    "INVALID",
    "a date of precision UNKNOWN is the article's publication date: leave saidAt out, or give its precision",
    ["input", "saidAt"],
  );
}

function notFound() {
  return new UserErrors([userError("NOT_FOUND", "no claim with this ID", ["input", "claimId"])]);
}

function retired() {
  return new UserErrors([userError("RETIRED", "the claim is retired and can no longer be changed", ["input", "claimId"])]);
}
