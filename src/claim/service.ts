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
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/connection";
import { UserErrors, badInput, parseInput, userError } from "../graphql/errors";
import { expectId, idOf } from "../graphql/globalId";
import type { SourceService } from "../source/service";
import { selectorAt } from "../article/anchoring";
import { locateQuote } from "./quote";
import type { ClaimProjection } from "./projection";
import {
  CLAIMS,
  ORDERS,
  VERDICT_CHANGES,
  and,
  countSql,
  historySql,
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

const verdictInput = z.object({
  rationale: z.string().trim().max(10_000).nullish(),
  evidenceUrls: z
    .array(z.string().refine((u) => /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL"))
    .max(50),
});

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
    const where: Prisma.Sql[] = [];
    if (!filter?.includeRetired) where.push(Prisma.sql`c.retired_at IS NULL`);
    if (filter?.actor != null) {
      const ids = await this.sources.resolveActor(filter.actor, filter.includeAffiliated ?? false);
      if (ids.length === 0) return null;
      where.push(ids.length === 1 ? Prisma.sql`c.source_id = ${ids[0]}::uuid` : Prisma.sql`c.source_id = ANY(${ids}::uuid[])`);
    }
    if (filter?.sourceId) where.push(Prisma.sql`c.source_id = ${expectId("Source", filter.sourceId, "filter.sourceId")}::uuid`);
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
      // websearch_to_tsquery accepts anything a person types: words, "phrases", -exclusions.
      where.push(Prisma.sql`to_tsvector('english', c.text) @@ websearch_to_tsquery('english', ${search})`);
    }
    return where;
  }

  async list(
    filter: ClaimFilter | null | undefined,
    order: ClaimOrder | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    projection?: ClaimProjection,
    extra: Prisma.Sql[] = [],
  ): Promise<Connection<ClaimRow>> {
    const size = pageSize(first);
    const spec = ORDERS[order ?? "NEWEST"];
    const cursor = after ? decodeCursor(after, spec.cursorShape) : null;
    const base = await this.conditions(filter);
    if (!base) return toConnection<ClaimRow>([], size, () => [], async () => 0, Boolean(after));
    const where = [...base, ...extra];
    const rows = await this.read<Record<string, unknown>>(
      pageSql(cursor ? [...where, spec.after(cursor)] : where, order ?? "NEWEST", size + 1, projection),
    );
    return toConnection(toClaimRows(rows), size, spec.cursorOf, () => this.count(where), Boolean(after));
  }

  private async count(where: Prisma.Sql[]): Promise<number> {
    const [{ n }] = await this.read<{ n: number }>(countSql(where));
    return n;
  }

  /** Per-status counts for a filter, optionally broken down by the sources with the most claims. */
  async stats(filter: ClaimFilter | null | undefined, groupBySource: boolean, sourceLimit: number) {
    if (groupBySource && (!Number.isInteger(sourceLimit) || sourceLimit < 1 || sourceLimit > 100)) {
      throw badInput(`sourceLimit must be between 1 and 100, got ${sourceLimit}`, "sourceLimit");
    }
    const where = await this.conditions(filter);
    const rows = where
      ? await this.read<{ sourceId: string; status: VerificationStatus; n: number }>(Prisma.sql`
          SELECT c.source_id AS "sourceId", c.status::text AS status, count(*)::int AS n
          FROM claim c WHERE ${and(where)} GROUP BY c.source_id, c.status`)
      : [];
    const byStatus = countsByStatus(rows);
    const total = byStatus.reduce((sum, s) => sum + s.count, 0);
    if (!groupBySource) return { total, byStatus, bySource: null };
    const perSource = new Map<string, typeof rows>();
    for (const row of rows) perSource.set(row.sourceId, [...(perSource.get(row.sourceId) ?? []), row]);
    const bySource = [...perSource]
      .map(([sourceId, counts]): SourceStatusCounts => {
        const statuses = countsByStatus(counts);
        return { sourceId, total: statuses.reduce((sum, s) => sum + s.count, 0), byStatus: statuses };
      })
      .sort((a, b) => b.total - a.total || a.sourceId.localeCompare(b.sourceId))
      .slice(0, sourceLimit);
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

  linkedToEvent(
    eventId: string,
    linkType: ClaimEventLinkType | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    projection?: ClaimProjection,
  ): Promise<Connection<ClaimRow>> {
    const link = Prisma.sql`EXISTS (SELECT 1 FROM claim_event ce WHERE ce.claim_id = c.id AND ce.event_id = ${eventId}::uuid
      ${linkType ? Prisma.sql`AND ce.link_type::text = ${linkType}` : Prisma.empty})`;
    return this.list(null, "NEWEST", first, after, projection, [link]);
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
