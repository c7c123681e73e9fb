import { z } from "zod";
import { Prisma, type AttributionStatus, type Claim, type PrismaClient, type VerificationStatus } from "../generated/prisma/client";
import type { ClaimCreateInput, ClaimSetAttributionInput, ClaimSetStatusInput, ClaimUpdateInput } from "../generated/graphql";
import type { Actor } from "../auth/actor";
import { selectorAt } from "../article/anchoring";
import { shareArticleSql } from "../article/sql";
import { transactionWithRetry } from "../db/transaction";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { MAX_CLAIM_TEXT, bounded, clearable, evidenceUrls, publicExplanation, quote, rationale } from "../validation/fields";
import { locateQuote } from "./quote";

/** What a verdict change reads of its input (`claimId` a database id). */
type VerdictInput = Pick<ClaimSetStatusInput, "claimId" | "rationale" | "evidenceUrls"> & Partial<Pick<ClaimSetStatusInput, "publicExplanation">>;

// Statuses that record no judgement, so they need no rationale.
const NO_JUDGEMENT = new Set<string>(["UNVERIFIED", "IN_REVIEW", "UNCHECKED"]);

const verdictInput = z.object({ rationale: clearable(rationale), publicExplanation: clearable(publicExplanation), evidenceUrls });
/** A claim's text and quote as sent: capped and well-formed before anything trims or locates them. */
const claimWords = z.object({ text: bounded(MAX_CLAIM_TEXT).nullish(), quote: quote.nullish() });

/**
 * The claim mutations: verdicts (with their row lock and CONFLICT check), creation, correction and
 * retirement. Reads are ClaimService's; these are the writes an editor makes.
 */
export class ClaimEditor {
  constructor(private readonly prisma: PrismaClient) {}

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

  /**
   * claimCreate (`articleId` and `sourceId` database ids); `db` a transaction to create it in, if any.
   * `at`: where the words are known to be (an accepted proposal's span), used while the body still
   * holds them there, so words said twice in an article are not refused as ambiguous.
   * The offsets are computed and stored under the article's row lock (bodyOf): read without it, a
   * claim created during a correction got the old body's offsets, and nothing re-anchored it.
   */
  async create(input: ClaimCreateInput, db?: Prisma.TransactionClient, at?: { start: number; end: number }): Promise<Claim> {
    if (!db) return transactionWithRetry(this.prisma, (tx) => this.create(input, tx, at));
    parseInput(claimWords, { text: input.text, quote: input.quote });
    const article = await bodyOf(db, input.articleId);
    const source = await db.source.findUnique({ where: { id: input.sourceId }, select: { id: true } });
    const errors = [];
    if (!article) errors.push(userError("NOT_FOUND", "no article with this ID", ["input", "articleId"]));
    if (!source) errors.push(userError("NOT_FOUND", "no source with this ID", ["input", "sourceId"]));
    const text = input.text.trim();
    if (!text) errors.push(userError("REQUIRED", "text must not be empty", ["input", "text"]));
    if (input.saidAt && input.saidAtPrecision === "UNKNOWN") errors.push(unknownWithDate());
    if (!article || !source || errors.length) throw new UserErrors(errors);
    const words = input.quote ?? text;
    const span = at && article.body.slice(at.start, at.end) === words ? this.fresh(article.body, at.start, at.end) : this.locate(article.body, words);
    return db.claim.create({
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

  /**
   * claimUpdate (`claimId` and `sourceId` database ids), in one transaction: the article's row lock,
   * then the claim's (a correction's order), then the body read and the offsets stored. Outside one,
   * a correction that ran between the read and the write left the new quote at the old body's
   * offsets, or its re-anchoring wrote back the quote it had read over the editor's fix.
   */
  async update(input: ClaimUpdateInput): Promise<Claim> {
    parseInput(claimWords, { text: input.text, quote: input.quote });
    const text = input.text?.trim();
    if (input.text != null && !text) throw new UserErrors([userError("REQUIRED", "text must not be empty", ["input", "text"])]);
    return transactionWithRetry(this.prisma, async (tx) => {
      const owner = await tx.claim.findUnique({ where: { id: input.claimId }, select: { articleId: true } });
      if (!owner) throw notFound();
      const article = await bodyOf(tx, owner.articleId);
      const [locked] = await tx.$queryRaw<{ article_id: string }[]>(lockClaimSql(input.claimId));
      // Moved to another article (a seed refresh) between the two reads: the lock taken is not its article's.
      if (!article || locked?.article_id !== article.id) throw notFound();
      const claim = await tx.claim.findUniqueOrThrow({ where: { id: input.claimId } });
      if (claim.retiredAt) throw retired();
      let sourceId: string | undefined;
      if (input.sourceId) {
        const found = await tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } });
        if (!found) throw new UserErrors([userError("NOT_FOUND", "no source with this ID", ["input", "sourceId"])]);
        sourceId = found.id;
      }
      // UNKNOWN always stores the article's publication date, never a specific one (README: dates).
      const precision = input.saidAtPrecision ?? (input.saidAt ? claim.saidAtPrecision : undefined);
      if (input.saidAt && precision === "UNKNOWN") throw new UserErrors([unknownWithDate()]);
      const saidAt = precision === "UNKNOWN" ? article.publishedAt : input.saidAt;
      const span = input.quote != null || text ? this.locate(article.body, input.quote ?? text ?? claim.quoteExact) : {};
      return tx.claim.update({
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
    return this.fresh(body, found.start, found.end);
  }

  /** A quote set by an editor is a fresh selector: anchored exactly, context captured now. */
  private fresh(body: string, start: number, end: number) {
    return { ...selectorAt(body, start, end), anchoring: "EXACT" as const, anchorScore: null };
  }
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

/** The article a claim's offsets are computed against, read under its row lock (shareArticleSql); null when there is none. */
async function bodyOf(tx: Prisma.TransactionClient, id: string) {
  const [locked] = await tx.$queryRaw<{ content_hash: string }[]>(shareArticleSql(id));
  if (!locked) return null;
  return tx.article.findUnique({ where: { id }, select: { id: true, slug: true, body: true, publishedAt: true } });
}

/** Locks a claim's row for a change of its words (after its article's: lock order), reading its article. */
function lockClaimSql(id: string): Prisma.Sql {
  return Prisma.sql`SELECT article_id::text AS article_id FROM claim WHERE id = ${id}::uuid FOR UPDATE`;
}

/** Locks a claim's row for a verdict change (concurrent ones wait), reading its verdicts and retirement. */
function lockVerdictsSql(id: string): Prisma.Sql {
  return Prisma.sql`SELECT status::text AS status, attribution::text AS attribution, retired_at FROM claim WHERE id = ${id}::uuid FOR UPDATE`;
}
