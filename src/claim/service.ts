import { z } from "zod";
import {
  AttributionStatus,
  Prisma,
  VerificationStatus,
  type Claim,
  type ClaimEventLinkType,
  type ClaimKind,
  type ClaimChannel,
  type DatePrecision,
  type PrismaClient,
  type VerdictChange,
} from "../generated/prisma/client";
import { decodeCursor, keysetAfter, pageSize, toConnection, type Connection, type CursorValue } from "../graphql/connection";
import { UserErrors, badInput, parseInput, userError } from "../graphql/errors";
import { expectId, idOf } from "../graphql/globalId";
import type { SourceService } from "../source/service";
import { locateQuote } from "./quote";

export type ClaimOrder = "NEWEST" | "OLDEST" | "STATUS" | "ACTOR";

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

interface OrderSpec {
  orderBy: Prisma.ClaimOrderByWithRelationInput[];
  cursorShape: ("string" | "number")[];
  cursorOf: (claim: Claim & { sourceName?: string }) => CursorValue[];
  after: (values: CursorValue[]) => Prisma.ClaimWhereInput;
}

function byDate(direction: "desc" | "asc"): OrderSpec {
  const beyond = direction === "desc" ? "lt" : "gt";
  return {
    orderBy: [{ saidAt: direction }, { id: direction }],
    cursorShape: ["string", "string"],
    cursorOf: (c) => [c.saidAt.toISOString(), c.id],
    after: ([saidAt, id]) =>
      keysetAfter<Prisma.ClaimWhereInput>([
        { equal: { saidAt: new Date(saidAt as string) }, beyond: { saidAt: { [beyond]: new Date(saidAt as string) } } },
        { equal: { id: id as string }, beyond: { id: { [beyond]: id as string } } },
      ]),
  };
}

const NEWEST = byDate("desc");

const ORDERS: Record<ClaimOrder, OrderSpec> = {
  NEWEST,
  OLDEST: byDate("asc"),
  STATUS: {
    orderBy: [{ status: "asc" }, ...NEWEST.orderBy],
    cursorShape: ["string", "string", "string"],
    cursorOf: (c) => [c.status, ...NEWEST.cursorOf(c)],
    after: ([status, ...rest]) =>
      keysetAfter<Prisma.ClaimWhereInput>([
        {
          equal: { status: status as VerificationStatus },
          // Enums sort in declaration order; Prisma has no `gt` on enums, so list the later ones.
          beyond: { status: { in: STATUS_ORDER.slice(STATUS_ORDER.indexOf(status as VerificationStatus) + 1) } },
        },
        { equal: {}, beyond: NEWEST.after(rest) },
      ]),
  },
  ACTOR: {
    orderBy: [{ source: { name: "asc" } }, ...NEWEST.orderBy],
    cursorShape: ["string", "string", "string"],
    cursorOf: (c) => [c.sourceName ?? "", ...NEWEST.cursorOf(c)],
    after: ([name, ...rest]) =>
      keysetAfter<Prisma.ClaimWhereInput>([
        { equal: { source: { name: name as string } }, beyond: { source: { name: { gt: name as string } } } },
        { equal: {}, beyond: NEWEST.after(rest) },
      ]),
  },
};

export class ClaimService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sources: SourceService,
  ) {}

  byIds(ids: readonly string[]): Promise<Claim[]> {
    return this.prisma.claim.findMany({ where: { id: { in: [...ids] } } });
  }

  /**
   * The Prisma condition for a filter, or null when it can match nothing (an unknown actor),
   * which saves the query.
   */
  async where(filter: ClaimFilter | null | undefined): Promise<Prisma.ClaimWhereInput | null> {
    const where: Prisma.ClaimWhereInput[] = [];
    if (!filter?.includeRetired) where.push({ retiredAt: null });
    if (filter?.actor != null) {
      const ids = await this.sources.resolveActor(filter.actor, filter.includeAffiliated ?? false);
      if (ids.length === 0) return null;
      where.push({ sourceId: { in: ids } });
    }
    if (filter?.sourceId) where.push({ sourceId: expectId("Source", filter.sourceId, "filter.sourceId") });
    if (filter?.articleId) where.push({ articleId: expectId("Article", filter.articleId, "filter.articleId") });
    if (filter?.eventId) {
      where.push({ events: { some: { eventId: expectId("Event", filter.eventId, "filter.eventId") } } });
    }
    if (filter?.status) where.push({ status: { in: filter.status } });
    if (filter?.attribution) where.push({ attribution: { in: filter.attribution } });
    if (filter?.kind) where.push({ kind: { in: filter.kind } });
    if (filter?.saidAfter) where.push({ saidAt: { gte: filter.saidAfter } });
    if (filter?.saidBefore) where.push({ saidAt: { lt: filter.saidBefore } });
    if (filter?.search != null) {
      const search = filter.search.trim();
      if (!search) throw badInput("search must not be empty", "filter.search");
      // websearch_to_tsquery accepts anything a person types; Prisma's `search` would need tsquery syntax.
      const hits = await this.prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM claim WHERE to_tsvector('english', text) @@ websearch_to_tsquery('english', ${search})`;
      where.push({ id: { in: hits.map((h) => h.id) } });
    }
    return { AND: where };
  }

  async list(
    filter: ClaimFilter | null | undefined,
    order: ClaimOrder | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<Claim>> {
    const size = pageSize(first);
    const spec = ORDERS[order ?? "NEWEST"];
    const cursor = after ? decodeCursor(after, spec.cursorShape) : null;
    const where = await this.where(filter);
    if (!where) return toConnection<Claim>([], size, () => [], async () => 0, Boolean(after));
    const rows = await this.prisma.claim.findMany({
      where: cursor ? { AND: [where, spec.after(cursor)] } : where,
      orderBy: spec.orderBy,
      take: size + 1,
      ...(order === "ACTOR" ? { include: { source: { select: { name: true } } } } : {}),
    });
    const claims = rows.map((row) => {
      const { source, ...claim } = row as Claim & { source?: { name: string } };
      return source ? Object.assign(claim, { sourceName: source.name }) : claim;
    });
    return toConnection<Claim>(claims, size, spec.cursorOf, () => this.prisma.claim.count({ where }), Boolean(after));
  }

  /** Per-status counts for a filter, optionally broken down by the sources with the most claims. */
  async stats(filter: ClaimFilter | null | undefined, groupBySource: boolean, sourceLimit: number) {
    if (groupBySource && (!Number.isInteger(sourceLimit) || sourceLimit < 1 || sourceLimit > 100)) {
      throw badInput(`sourceLimit must be between 1 and 100, got ${sourceLimit}`, "sourceLimit");
    }
    const where = await this.where(filter);
    const statusRows = where
      ? await this.prisma.claim.groupBy({ by: ["status"], where, _count: { _all: true } })
      : [];
    const byStatus = countsByStatus(statusRows);
    const total = byStatus.reduce((sum, s) => sum + s.count, 0);
    if (!groupBySource) return { total, byStatus, bySource: null };
    const rows = where
      ? await this.prisma.claim.groupBy({ by: ["sourceId", "status"], where, _count: { _all: true } })
      : [];
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
    return this.prisma.verdictChange.findMany({ where: { id: { in: [...ids] } } });
  }

  historyFor(claimIds: readonly string[]): Promise<VerdictChange[]> {
    return this.prisma.verdictChange.findMany({
      where: { claimId: { in: [...claimIds] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
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

  async linkedToEvent(
    eventId: string,
    linkType: ClaimEventLinkType | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<Claim>> {
    const size = pageSize(first);
    const where: Prisma.ClaimWhereInput = { retiredAt: null, events: { some: { eventId, ...(linkType ? { linkType } : {}) } } };
    const cursor = after ? decodeCursor(after, NEWEST.cursorShape) : null;
    const rows = await this.prisma.claim.findMany({
      where: cursor ? { AND: [where, NEWEST.after(cursor)] } : where,
      orderBy: NEWEST.orderBy,
      take: size + 1,
    });
    return toConnection(rows, size, NEWEST.cursorOf, () => this.prisma.claim.count({ where }), Boolean(after));
  }

  setStatus(input: VerdictInput & { status: VerificationStatus }, actor: Actor): Promise<Claim> {
    return this.recordVerdict(input, actor, "VERIFICATION", input.status);
  }

  setAttribution(input: VerdictInput & { attribution: AttributionStatus }, actor: Actor): Promise<Claim> {
    return this.recordVerdict(input, actor, "ATTRIBUTION", input.attribution);
  }

  /** Updates the verdict and appends to the history in one transaction, with the claim row locked. */
  private async recordVerdict(
    input: VerdictInput,
    actor: Actor,
    aspect: "VERIFICATION" | "ATTRIBUTION",
    to: string,
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
    const span = input.quote != null || text ? this.locate(claim.article.body, input.quote ?? text ?? claim.quoteExact) : {};
    return this.prisma.claim.update({
      where: { id: claim.id },
      data: {
        text: text ?? undefined,
        kind: input.kind ?? undefined,
        channel: input.channel ?? undefined,
        sourceId,
        saidAt: input.saidAt ?? undefined,
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
    return { quoteStart: found.start, quoteEnd: found.end, quoteExact: exact };
  }
}

function countsByStatus(rows: { status: VerificationStatus; _count: { _all: number } }[]) {
  const counts = new Map(rows.map((r) => [r.status, r._count._all]));
  return STATUS_ORDER.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

function notFound() {
  return new UserErrors([userError("NOT_FOUND", "no claim with this ID", ["input", "claimId"])]);
}

function retired() {
  return new UserErrors([userError("RETIRED", "the claim is retired and can no longer be changed", ["input", "claimId"])]);
}
