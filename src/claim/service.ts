import { z } from "zod";
import {
  AttributionStatus,
  Prisma,
  VerificationStatus,
  type Claim,
  type AnchoringState,
  type ClaimEventLinkType,
  type ClaimKind,
  type ClaimChannel,
  type DatePrecision,
  type PrismaClient,
  type VerdictChange,
} from "../generated/prisma/client";
import type { SqlReader } from "../db/database";
import { decodeCursor, pageSize, toConnection, type Connection, type CursorValue } from "../graphql/connection";
import { UserErrors, badInput, parseInput, userError } from "../graphql/errors";
import { expectId, idOf } from "../graphql/globalId";
import type { SourceService } from "../source/service";
import { selectorAt } from "../article/anchoring";
import { clearable, evidenceUrls, rationale } from "../validation/fields";
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
  and,
  eventPageSql,
  historySql,
  actorWalkSql,
  pageSql,
  toClaimRows,
  type ClaimOrder,
  type ClaimRow,
} from "./sql";


export interface ClaimFilter {
  actor?: string | null;
  includeAffiliated?: boolean | null;
  sourceId?: string | null;
  status?: VerificationStatus[] | null;
  attribution?: AttributionStatus[] | null;
  kind?: ClaimKind[] | null;
  articleId?: string | null;
  eventId?: string | null;
  search?: string | null;
  saidAfter?: Date | null;
  saidBefore?: Date | null;
  anchoring?: AnchoringState[] | null;
  includeRetired?: boolean | null;
}

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
  const total = () => (counted ??= count());
  const connection = toConnection(rows, size, cursorOf, () => total().then((t) => t.value), hasPrevious);
  return Object.assign(connection, { totalCountIsExact: () => total().then((t) => t.exact) });
}

/** The ClaimFilter fields the claim counters answer. */
const COUNTED_FILTERS = new Set(["actor", "includeAffiliated", "sourceId", "status", "includeRetired"]);

/** Whose claims a nested list shows. */
export type NestedParent = "source" | "event";

/** The arguments of `Source.claims` and `Event.claims`. */
export interface NestedClaimArgs {
  status?: VerificationStatus[] | null;
  includeRetired?: boolean | null;
  linkType?: ClaimEventLinkType | null;
  first?: number | null;
  after?: string | null;
}

/** Who is acting: recorded on every verdict change. */
export interface Actor {
  name: string;
  apiKeyId: string | null;
}

interface VerdictInput {
  claimId: string;
  rationale?: string | null;
  evidenceUrls?: readonly (URL | string)[] | null;
}

const STATUS_ORDER = Object.values(VerificationStatus);
// Statuses that record no judgement, so they need no rationale.
const NO_JUDGEMENT = new Set<string>(["UNVERIFIED", "IN_REVIEW", "UNCHECKED"]);

const verdictInput = z.object({ rationale: clearable(rationale), evidenceUrls });

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

  /**
   * SQL conditions for a filter, or null when it can match nothing (an unknown actor), which
   * saves the query. The actor is resolved first so the planner sees literal source ids and
   * seeks the (source_id, status, said_at, id) index.
   */
  async conditions(filter: ClaimFilter | null | undefined): Promise<Prisma.Sql[] | null> {
    return (await this.resolve(filter))?.where ?? null;
  }

  /**
   * The filter's SQL conditions, and the counter filter that counts its matches when the claim
   * counters cover it (sources, statuses, retired; nothing else), or null when nothing can match.
   */
  private async resolve(filter: ClaimFilter | null | undefined): Promise<{ where: Prisma.Sql[]; counters: CounterFilter | null } | null> {
    const where: Prisma.Sql[] = [];
    let sourceIds: string[] | null = null;
    if (!filter?.includeRetired) where.push(Prisma.sql`c.retired_at IS NULL`);
    if (filter?.actor != null) {
      sourceIds = await this.sources.resolveActor(filter.actor, filter.includeAffiliated ?? false);
      if (sourceIds.length === 0) return null;
      where.push(sourceIds.length === 1 ? Prisma.sql`c.source_id = ${sourceIds[0]}::uuid` : Prisma.sql`c.source_id = ANY(${sourceIds}::uuid[])`);
    }
    if (filter?.sourceId) {
      const sourceId = expectId("Source", filter.sourceId, "filter.sourceId");
      sourceIds = sourceIds ? sourceIds.filter((id) => id === sourceId) : [sourceId];
      where.push(Prisma.sql`c.source_id = ${sourceId}::uuid`);
    }
    if (filter?.articleId) where.push(Prisma.sql`c.article_id = ${expectId("Article", filter.articleId, "filter.articleId")}::uuid`);
    if (filter?.eventId) {
      const eventId = expectId("Event", filter.eventId, "filter.eventId");
      where.push(Prisma.sql`EXISTS (SELECT 1 FROM claim_event ce WHERE ce.claim_id = c.id AND ce.event_id = ${eventId}::uuid)`);
    }
    if (filter?.status) where.push(enumIn("c.status", "VerificationStatus", filter.status));
    if (filter?.attribution) where.push(enumIn("c.attribution", "AttributionStatus", filter.attribution));
    if (filter?.kind) where.push(enumIn("c.kind", "ClaimKind", filter.kind));
    if (filter?.anchoring) where.push(enumIn("c.anchoring", "AnchoringState", filter.anchoring));
    if (filter?.saidAfter) where.push(Prisma.sql`c.said_at >= ${filter.saidAfter}::timestamp`);
    if (filter?.saidBefore) where.push(Prisma.sql`c.said_at < ${filter.saidBefore}::timestamp`);
    if (filter?.search != null) {
      const search = filter.search.trim();
      if (!search) throw badInput("search must not be empty", "filter.search");
      // websearch_to_tsquery accepts anything a person types: words, "phrases", -exclusions. The
      // stored search_vector column and its GIN index make a match an index lookup.
      where.push(Prisma.sql`c.search_vector @@ websearch_to_tsquery('english', ${search})`);
    }
    // Covered only when every condition given is one the counters know: a filter added later is
    // counted from the claims until it is taught to the counters.
    const covered = Object.entries(filter ?? {}).every(([name, value]) => value == null || COUNTED_FILTERS.has(name));
    const counters = covered ? { sourceIds, statuses: filter?.status ?? null, includeRetired: filter?.includeRetired ?? false } : null;
    return { where, counters };
  }

  async list(
    filter: ClaimFilter | null | undefined,
    order: ClaimOrder | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    projection?: ClaimProjection,
    extra: Prisma.Sql[] = [],
  ): Promise<ClaimConnection> {
    const size = pageSize(first);
    const spec = ORDERS[order ?? "NEWEST"];
    const cursor = after ? decodeCursor(after, spec.cursorShape) : null;
    const resolved = await this.resolve(filter);
    if (!resolved) return claimConnection([], size, spec.cursorOf, async () => ({ value: 0, exact: true }), Boolean(after));
    const where = [...resolved.where, ...extra];
    const conditions = cursor ? [...where, spec.after(cursor)] : where;
    // Counter-covered filters are the ones the per-source indexes serve: an ACTOR page walks sources.
    const walk = order === "ACTOR" && !extra.length ? resolved.counters : null;
    const rows = await this.read<Record<string, unknown>>(
      walk
        ? actorWalkSql({ conditions, fromName: cursor ? (cursor[0] as string) : null, sourceIds: walk.sourceIds, limit: size + 1, projection })
        : pageSql(conditions, order ?? "NEWEST", size + 1, projection),
    );
    const counters = extra.length ? null : resolved.counters;
    return claimConnection(toClaimRows(rows), size, spec.cursorOf, () => this.count(where, counters), Boolean(after));
  }

  /**
   * The first page of claims of each parent (sources' or events' claims under a list of them) in
   * one statement: a LATERAL page per parent id, each an index seek as for a single parent.
   */
  async pagesFor(
    parent: NestedParent,
    parentIds: readonly string[],
    args: NestedClaimArgs,
    projection?: ClaimProjection,
  ): Promise<ClaimConnection[]> {
    const size = pageSize(args.first);
    const spec = ORDERS.NEWEST;
    const cursor = args.after ? decodeCursor(args.after, spec.cursorShape) : null;
    const where: Prisma.Sql[] = [];
    if (!args.includeRetired) where.push(Prisma.sql`c.retired_at IS NULL`);
    if (args.status) where.push(enumIn("c.status", "VerificationStatus", args.status));
    const common = [...where];
    const page =
      parent === "source"
        ? pageSql([...where, Prisma.sql`c.source_id = p.parent_id`, ...(cursor ? [spec.after(cursor)] : [])], "NEWEST", size + 1, projection)
        : eventPageSql(Prisma.sql`p.parent_id`, args.linkType ?? null, where, cursor, size + 1, projection);
    const rows = await this.read<Record<string, unknown>>(Prisma.sql`
      SELECT p.parent_id AS "parentId", x.* FROM unnest(${[...parentIds]}::uuid[]) AS p(parent_id)
      CROSS JOIN LATERAL (${page}) x`);
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
          ? this.countsBySource(parentIds, args.status ?? null, args.includeRetired ?? false)
          : this.countsByEvent(parentIds, common, args.linkType ?? null));
    return parentIds.map((id) =>
      claimConnection(byParent.get(id) ?? [], size, spec.cursorOf, () => this.nestedTotal(id, counts, parent, common, args.linkType ?? null), Boolean(args.after)),
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
    return this.count([...common, linkedTo(id, linkType)], null);
  }

  /** Claims per event for a batch of events, each counted up to EXACT_COUNT_LIMIT + 1. */
  private async countsByEvent(eventIds: readonly string[], common: Prisma.Sql[], linkType: ClaimEventLinkType | null): Promise<Map<string, number>> {
    const rows = await this.read<{ eventId: string; n: number }>(Prisma.sql`
      SELECT p.parent_id AS "eventId", (SELECT count(*)::int FROM (
        SELECT DISTINCT ce.claim_id FROM claim_event ce JOIN claim c ON c.id = ce.claim_id
        WHERE ce.event_id = p.parent_id ${linkType ? Prisma.sql`AND ce.link_type = ${linkType}::"ClaimEventLinkType"` : Prisma.empty}
          AND ${and(common)} LIMIT ${EXACT_COUNT_LIMIT + 1}) m) AS n
      FROM unnest(${[...eventIds]}::uuid[]) AS p(parent_id)`);
    return new Map(rows.map((r) => [r.eventId, r.n]));
  }

  /**
   * How many claims match: from the counters when they cover the filter; otherwise counted up to
   * EXACT_COUNT_LIMIT, and beyond it the planner's estimate (never below the limit), marked inexact.
   */
  private async count(where: Prisma.Sql[], counters: CounterFilter | null): Promise<TotalCount> {
    if (counters) return { value: await this.countersTotal(counters), exact: true };
    const [{ n }] = await this.read<{ n: number }>(cappedCountSql(where));
    if (n <= EXACT_COUNT_LIMIT) return { value: n, exact: true };
    const estimate = estimatedRows(await this.read<Record<string, unknown>>(estimateSql(where)));
    return { value: Math.max(estimate, n), exact: false };
  }

  private async countersTotal(counters: CounterFilter): Promise<number> {
    if (counters.sourceIds?.length === 0) return 0;
    const [{ n }] = await this.read<{ n: number }>(counterTotalSql(counters));
    return n;
  }

  /** Claim counts per source for a batch of sources (a directory's `claims { totalCount }`), in one statement. */
  async countsBySource(sourceIds: readonly string[], statuses: VerificationStatus[] | null, includeRetired: boolean): Promise<Map<string, number>> {
    const rows = await this.read<{ sourceId: string; n: number }>(counterTotalsBySourceSql({ sourceIds: [...sourceIds], statuses, includeRetired }));
    return new Map(rows.map((r) => [r.sourceId, r.n]));
  }

  /**
   * Per-status counts for a filter, optionally broken down by the sources with the most claims:
   * from the counters when they cover the filter (no claim is read), else counted from the claims.
   */
  async stats(filter: ClaimFilter | null | undefined, groupBySource: boolean, sourceLimit: number) {
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
    return this.prisma.claim.findMany({
      where: { articleId: { in: [...articleIds] }, ...(includeRetired ? {} : { retiredAt: null }) },
      orderBy: [{ quoteStart: "asc" }, { id: "asc" }],
    });
  }

  setStatus(input: VerdictInput & { status: VerificationStatus; expectedStatus?: VerificationStatus | null }, actor: Actor): Promise<Claim> {
    return this.recordVerdict(input, actor, "VERIFICATION", input.status, input.expectedStatus);
  }

  setAttribution(
    input: VerdictInput & { attribution: AttributionStatus; expectedAttribution?: AttributionStatus | null },
    actor: Actor,
  ): Promise<Claim> {
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
      evidenceUrls: (input.evidenceUrls ?? []).map(String),
    });
    const rationale = verdict.rationale || null;
    if (!rationale && !NO_JUDGEMENT.has(to)) {
      throw new UserErrors([userError("REQUIRED", `a rationale is required to set ${to}`, ["input", "rationale"])]);
    }
    const id = idOf("Claim", input.claimId);
    if (!id) throw notFound();
    return this.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<{ status: VerificationStatus; attribution: AttributionStatus; retired_at: Date | null }[]>`
        SELECT status::text AS status, attribution::text AS attribution, retired_at FROM claim WHERE id = ${id}::uuid FOR UPDATE`;
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

  async create(input: {
    articleId: string;
    sourceId: string;
    text: string;
    quote?: string | null;
    kind: ClaimKind;
    channel?: ClaimChannel | null;
    saidAt?: Date | null;
    saidAtPrecision?: DatePrecision | null;
  }): Promise<Claim> {
    const articleId = idOf("Article", input.articleId);
    const article = articleId ? await this.prisma.article.findUnique({ where: { id: articleId } }) : null;
    const sourceId = idOf("Source", input.sourceId);
    const source = sourceId ? await this.prisma.source.findUnique({ where: { id: sourceId }, select: { id: true } }) : null;
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

  async update(input: {
    claimId: string;
    text?: string | null;
    quote?: string | null;
    kind?: ClaimKind | null;
    channel?: ClaimChannel | null;
    sourceId?: string | null;
    saidAt?: Date | null;
    saidAtPrecision?: DatePrecision | null;
  }): Promise<Claim> {
    const id = idOf("Claim", input.claimId);
    const claim = id ? await this.prisma.claim.findUnique({ where: { id }, include: { article: true } }) : null;
    if (!claim) throw notFound();
    if (claim.retiredAt) throw retired();
    let sourceId: string | undefined;
    if (input.sourceId) {
      const wanted = idOf("Source", input.sourceId);
      const found = wanted ? await this.prisma.source.findUnique({ where: { id: wanted }, select: { id: true } }) : null;
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

  async retire(claimGlobalId: string): Promise<Claim> {
    const id = idOf("Claim", claimGlobalId);
    const claim = id ? await this.prisma.claim.findUnique({ where: { id } }) : null;
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

/**
 * Compares an enum column with enum-typed values (never `column::text`, which would hide the
 * column from its index); a single value is an equality, so the composite index also yields order.
 */
/**
 * `column = ANY($1::"Type"[])`: one parameter whatever the list's length, so a list never makes a new
 * prepared statement; compared as the enum (not as text) so the composite indexes stay usable.
 */
function enumIn(column: string, type: string, values: readonly string[]): Prisma.Sql {
  const distinct = [...new Set(values)];
  const col = Prisma.raw(column);
  const cast = Prisma.raw(`"${type}"`);
  if (distinct.length === 1) return Prisma.sql`${col} = ${distinct[0]}::${cast}`;
  // Through text[]: PGlite's adapter sends the array as text, which does not parse as an enum array.
  return Prisma.sql`${col} = ANY(${distinct}::text[]::${cast}[])`;
}

/** Claims linked to an event (with a link type, only those links). */
function linkedTo(eventId: string, linkType: ClaimEventLinkType | null): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM claim_event ce WHERE ce.claim_id = c.id AND ce.event_id = ${eventId}::uuid
    ${linkType ? Prisma.sql`AND ce.link_type = ${linkType}::"ClaimEventLinkType"` : Prisma.empty})`;
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
