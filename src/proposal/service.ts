import { z } from "zod";
import type { ClaimKind, Prisma, PrismaClient, SourceKind } from "../generated/prisma/client";
import type { ClaimProposalAcceptInput, ClaimProposalDismissInput } from "../generated/graphql";
import type { Actor } from "../auth/actor";
import type { ClaimEditor } from "../claim/editing";
import { contentHash } from "../article/intake";
import { shareArticleSql } from "../article/sql";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { clearable, dismissReason } from "../validation/fields";
import { extractMemoised } from "./extraction";
import { sourceFor } from "./newSource";
import type { CatalogueSource } from "./speakers";

export type ProposalPattern = "DIRECT" | "MIXED" | "INDIRECT";
export type SpeakerResolution = "NAME" | "PRONOUN" | "DESCRIPTION" | "CONTINUATION" | "NEW_SOURCE";

/** What names a proposal: its article and span (the API's proposal IDs encode it). */
export interface ProposalKey {
  articleId: string;
  start: number;
  end: number;
}

/** A proposal mutation's input, with the proposal named by its key (`sourceId` a database id). */
export type ProposalInput<T extends { proposalId: string }> = Omit<T, "proposalId"> & { proposal: ProposalKey };

/** A proposed claim as the API serves it. */
export interface ProposalRow extends ProposalKey {
  text: string;
  pattern: ProposalPattern;
  speaker: { start: number; end: number; text: string };
  sourceId: string | null;
  resolution: SpeakerResolution;
  proposedSource: { name: string; kind: SourceKind; role: string | null } | null;
  kind: ClaimKind;
  confidence: number;
}

/** What an article's proposals are made from: its body, the source catalogue, its claims and dismissals. */
export type ProposalInputs = Awaited<ReturnType<ProposalService["inputsFor"]>>;

export class ProposalService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly claims: ClaimEditor,
  ) {}

  /**
   * Proposals for one article, in reading order: those no live claim already covers (half of the
   * shorter span overlapping) and no editor dismissed. The extraction runs off the event loop and
   * is memoised per body (extraction.ts); `signal` (the request's) stops it when no one else waits.
   * `inputs`: the article's inputs, read once per request or live event by the `proposalInputs`
   * loader (30 aliases of claimProposals made 120 reads and held the loop for a second); a memo kept
   * by the service instead lived as long as the WebSocket server's services, and live events kept
   * listing proposals an editor had dismissed since.
   */
  async forArticle(articleId: string, minConfidence = 0, signal?: AbortSignal, inputs = this.inputsFor(articleId)): Promise<ProposalRow[]> {
    const { article, catalogue, claims, dismissals } = await inputs;
    if (!article) return [];
    const dismissed = new Set(dismissals.map((d) => d.quoteExact));
    return (await extractMemoised(article.body, catalogue, signal))
      .filter((p) => p.confidence >= minConfidence && !dismissed.has(article.body.slice(p.start, p.end)))
      .filter((p) => !claims.some((c) => covers(c, p)))
      .map((p) => ({
        articleId,
        start: p.start,
        end: p.end,
        text: p.text,
        pattern: p.pattern,
        speaker: { start: p.speaker.start, end: p.speaker.end, text: article.body.slice(p.speaker.start, p.speaker.end) },
        sourceId: p.speaker.sourceId,
        resolution: p.speaker.resolution,
        proposedSource: p.speaker.sourceId ? null : { name: visible(p.speaker.name), kind: p.speaker.kind, role: p.speaker.role },
        kind: p.kind,
        confidence: p.confidence,
      }));
  }

  inputsFor(articleId: string, catalogue = this.catalogue()) {
    return Promise.all([
      this.prisma.article.findUnique({ where: { id: articleId }, select: { body: true } }),
      catalogue,
      this.prisma.claim.findMany({ where: liveClaims(articleId), select: { quoteStart: true, quoteEnd: true } }),
      this.prisma.proposalDismissal.findMany({ where: { articleId }, select: { quoteExact: true } }),
    ]).then(([article, catalogue, claims, dismissals]) => ({ article, catalogue, claims, dismissals }));
  }

  /**
   * The inputs of several articles (a batch of the `proposalInputs` loader), the source catalogue
   * read once for all of them: read per article, 19 articles in one anonymous query read the whole
   * catalogue 19 times (with 20,000 sources, 503s for want of database connections) and hashed it 19 times.
   */
  inputsForMany(articleIds: readonly string[]): Promise<ProposalInputs[]> {
    const catalogue = this.catalogue();
    return Promise.all(articleIds.map((id) => this.inputsFor(id, catalogue)));
  }

  /** Every source, as the extractor matches speakers against them. */
  private async catalogue(): Promise<CatalogueSource[]> {
    const sources = await this.prisma.source.findMany({ select: { id: true, name: true, kind: true, aliases: { select: { alias: true } } } });
    return sources.map((s) => ({ id: s.id, name: s.name, kind: s.kind, aliases: s.aliases.map((a) => a.alias) }));
  }

  /**
   * Creates the claim a proposal describes, through claimCreate's own validation. A proposal whose
   * speaker matched no source brings its `proposedSource`: the source with that name or alias is used
   * if one exists by now, else it is created, in the same transaction as the claim.
   */
  async accept(input: ProposalInput<ClaimProposalAcceptInput>, signal?: AbortSignal) {
    const { proposal, body } = await this.find(input.proposal, signal);
    // An empty sourceId chooses nothing, as in claimUpdate: the proposal's own speaker stands.
    const chosen = input.sourceId || proposal.sourceId;
    const proposed = proposal.proposedSource;
    if (!chosen && !proposed) {
      throw new UserErrors([userError("REQUIRED", "the speaker matched no source: pass a sourceId", ["input", "sourceId"])]);
    }
    return this.prisma.$transaction(async (tx) => {
      // Accepts of one article's proposals take turns, and the proposal is checked again once it is
      // this one's: requests that had all found it uncovered each wrote a claim (six clicks on
      // "accept", six identical claims on PostgreSQL).
      await stillOpen(tx, proposal, body);
      // The proposal's span is in the body read above: a correction since then moved what it points at.
      const [article] = await tx.$queryRaw<{ content_hash: string }[]>(shareArticleSql(proposal.articleId));
      if (article?.content_hash !== contentHash(body)) throw gone();
      return this.claims.create(
        {
          articleId: proposal.articleId,
          sourceId: chosen || (await sourceFor(tx, proposed!)),
          text: input.text ?? proposal.text,
          quote: body.slice(proposal.start, proposal.end),
          kind: input.kind ?? proposal.kind,
          channel: input.channel,
          saidAt: input.saidAt,
          saidAtPrecision: input.saidAtPrecision,
        },
        tx,
        proposal,
      );
    });
  }

  /** Remembers a dismissal by the proposal's words, so it is not proposed again for this article. */
  async dismiss(input: ProposalInput<ClaimProposalDismissInput>, actor: Actor, signal?: AbortSignal): Promise<string> {
    const { proposal, body } = await this.find(input.proposal, signal);
    const reason = parseInput(dismissInput, { reason: input.reason }).reason || null;
    const quoteExact = body.slice(proposal.start, proposal.end);
    // Under accept's lock and checked again, so an accept and a dismissal sent at once do not both
    // succeed (a claim created and its words dismissed, each editor told they won).
    await this.prisma.$transaction(async (tx) => {
      await stillOpen(tx, proposal, body);
      await tx.proposalDismissal.create({
        data: { articleId: proposal.articleId, quoteExact, speaker: proposal.speaker.text, reason, dismissedBy: actor.name, apiKeyId: actor.apiKeyId },
      });
    });
    return proposal.articleId;
  }

  private async find(key: ProposalKey, signal?: AbortSignal): Promise<{ proposal: ProposalRow; body: string }> {
    const article = await this.prisma.article.findUnique({ where: { id: key.articleId }, select: { body: true } });
    const proposal = article ? (await this.forArticle(key.articleId, 0, signal)).find((p) => p.start === key.start && p.end === key.end) : null;
    if (!proposal || !article) throw gone();
    return { proposal, body: article.body };
  }
}

/**
 * Takes the article's proposal lock (accepts and dismissals of its proposals take turns until the
 * transaction ends) and checks that no request decided the proposal since it was found: a claim
 * covering it, or a dismissal of its words. The loser of a race gets CONFLICT saying which won.
 */
async function stillOpen(tx: Prisma.TransactionClient, proposal: ProposalRow, body: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"proposal-accept:" + proposal.articleId}))`;
  const claims = await tx.claim.findMany({ where: liveClaims(proposal.articleId), select: { quoteStart: true, quoteEnd: true } });
  if (claims.some((c) => covers(c, proposal))) throw decided("accepted by another request meanwhile: a claim now covers its words");
  const quoteExact = body.slice(proposal.start, proposal.end);
  const dismissed = await tx.proposalDismissal.findUnique({ where: { articleId_quoteExact: { articleId: proposal.articleId, quoteExact } }, select: { id: true } });
  if (dismissed) throw decided("dismissed by another request meanwhile");
}

const decided = (how: string) =>
  new UserErrors([userError("CONFLICT", `the proposal was ${how}`, ["input", "proposalId"])]);

const gone = () =>
  new UserErrors([userError("NOT_FOUND", "no such proposal: the article may have changed, or it was accepted or dismissed", ["input", "proposalId"])]);

/** A name as a source would store it: without format characters (an emoji's joiner left in "Jo 👩‍🚀 Park"), spaces single. */
const visible = (name: string) => name.replace(/\p{Cf}/gu, "").replace(/\s+/g, " ").trim();

/** The claims that can cover a proposal: live, and still anchored somewhere in the body. */
const liveClaims = (articleId: string) => ({ articleId, retiredAt: null, anchoring: { not: "ORPHANED" as const } });

/** A claim covers a proposal when half of the shorter of their spans overlaps. */
function covers(claim: { quoteStart: number; quoteEnd: number }, p: { start: number; end: number }): boolean {
  return Math.min(claim.quoteEnd, p.end) - Math.max(claim.quoteStart, p.start) >= 0.5 * Math.min(claim.quoteEnd - claim.quoteStart, p.end - p.start);
}

const dismissInput = z.object({ reason: clearable(dismissReason) });
