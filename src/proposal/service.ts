import { z } from "zod";
import type { ClaimChannel, ClaimKind, DatePrecision, PrismaClient, SourceKind } from "../generated/prisma/client";
import type { Actor, ClaimService } from "../claim/service";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { isUuid, toGlobalId } from "../graphql/globalId";
import { extractProposals } from "./extract";

export type ProposalPattern = "DIRECT" | "MIXED" | "INDIRECT";
export type SpeakerResolution = "NAME" | "PRONOUN" | "DESCRIPTION" | "CONTINUATION" | "NEW_SOURCE";

/** A proposed claim as the API serves it. */
export interface ProposalRow {
  id: string;
  articleId: string;
  start: number;
  end: number;
  text: string;
  pattern: ProposalPattern;
  speaker: { start: number; end: number; text: string };
  sourceId: string | null;
  resolution: SpeakerResolution;
  proposedSource: { name: string; kind: SourceKind } | null;
  kind: ClaimKind;
  confidence: number;
}

/** Proposal IDs name the article and the span, so they stay valid while the body does. */
const ID_PREFIX = "ClaimProposal:";

export function proposalId(articleId: string, start: number, end: number): string {
  return Buffer.from(`${ID_PREFIX}${articleId}:${start}:${end}`).toString("base64url");
}

function parseProposalId(id: string): { articleId: string; start: number; end: number } | null {
  const match = /^ClaimProposal:([0-9a-f-]{36}):(\d+):(\d+)$/.exec(Buffer.from(id, "base64url").toString("utf8"));
  return match && isUuid(match[1]) ? { articleId: match[1], start: Number(match[2]), end: Number(match[3]) } : null;
}

export class ProposalService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly claims: ClaimService,
  ) {}

  /**
   * Proposals for one article, in reading order: those no live claim already covers (half of the
   * shorter span overlapping) and no editor dismissed.
   */
  async forArticle(articleId: string, minConfidence = 0): Promise<ProposalRow[]> {
    const [article, sources, claims, dismissals] = await Promise.all([
      this.prisma.article.findUnique({ where: { id: articleId }, select: { body: true } }),
      this.prisma.source.findMany({ select: { id: true, name: true, kind: true, aliases: { select: { alias: true } } } }),
      this.prisma.claim.findMany({
        where: { articleId, retiredAt: null, anchoring: { not: "ORPHANED" } },
        select: { quoteStart: true, quoteEnd: true },
      }),
      this.prisma.proposalDismissal.findMany({ where: { articleId }, select: { quoteExact: true } }),
    ]);
    if (!article) return [];
    const dismissed = new Set(dismissals.map((d) => d.quoteExact));
    const catalogue = sources.map((s) => ({ id: s.id, name: s.name, kind: s.kind, aliases: s.aliases.map((a) => a.alias) }));
    return extractProposals(article.body, catalogue)
      .filter((p) => p.confidence >= minConfidence && !dismissed.has(article.body.slice(p.start, p.end)))
      .filter((p) => !claims.some((c) => Math.min(c.quoteEnd, p.end) - Math.max(c.quoteStart, p.start) >= 0.5 * Math.min(c.quoteEnd - c.quoteStart, p.end - p.start)))
      .map((p) => ({
        id: proposalId(articleId, p.start, p.end),
        articleId,
        start: p.start,
        end: p.end,
        text: p.text,
        pattern: p.pattern,
        speaker: { start: p.speaker.start, end: p.speaker.end, text: article.body.slice(p.speaker.start, p.speaker.end) },
        sourceId: p.speaker.sourceId,
        resolution: p.speaker.resolution,
        proposedSource: p.speaker.sourceId ? null : { name: p.speaker.name, kind: p.speaker.kind },
        kind: p.kind,
        confidence: p.confidence,
      }));
  }

  /** Creates the claim a proposal describes, through claimCreate's own validation. */
  async accept(input: {
    proposalId: string;
    sourceId?: string | null;
    text?: string | null;
    kind?: ClaimKind | null;
    channel?: ClaimChannel | null;
    saidAt?: Date | null;
    saidAtPrecision?: DatePrecision | null;
  }) {
    const { proposal, body } = await this.find(input.proposalId);
    const sourceId = input.sourceId ?? (proposal.sourceId ? toGlobalId("Source", proposal.sourceId) : null);
    if (!sourceId) {
      throw new UserErrors([
        userError("REQUIRED", "the speaker matched no source: create it (see proposedSource) and pass its sourceId", ["input", "sourceId"]),
      ]);
    }
    return this.claims.create({
      articleId: toGlobalId("Article", proposal.articleId),
      sourceId,
      text: input.text ?? proposal.text,
      quote: body.slice(proposal.start, proposal.end),
      kind: input.kind ?? proposal.kind,
      channel: input.channel,
      saidAt: input.saidAt,
      saidAtPrecision: input.saidAtPrecision,
    });
  }

  /** Remembers a dismissal by the proposal's words, so it is not proposed again for this article. */
  async dismiss(input: { proposalId: string; reason?: string | null }, actor: Actor): Promise<string> {
    const { proposal, body } = await this.find(input.proposalId);
    const reason = parseInput(dismissInput, { reason: input.reason }).reason || null;
    const quoteExact = body.slice(proposal.start, proposal.end);
    await this.prisma.proposalDismissal.upsert({
      where: { articleId_quoteExact: { articleId: proposal.articleId, quoteExact } },
      create: { articleId: proposal.articleId, quoteExact, speaker: proposal.speaker.text, reason, dismissedBy: actor.name, apiKeyId: actor.apiKeyId },
      update: {},
    });
    return proposal.articleId;
  }

  private async find(id: string): Promise<{ proposal: ProposalRow; body: string }> {
    const parsed = parseProposalId(id);
    const article = parsed ? await this.prisma.article.findUnique({ where: { id: parsed.articleId }, select: { body: true } }) : null;
    const proposal = parsed && article ? (await this.forArticle(parsed.articleId)).find((p) => p.start === parsed.start && p.end === parsed.end) : null;
    if (!proposal || !article) {
      throw new UserErrors([
        userError("NOT_FOUND", "no such proposal: the article may have changed, or it was accepted or dismissed", ["input", "proposalId"]),
      ]);
    }
    return { proposal, body: article.body };
  }
}

const dismissInput = z.object({ reason: z.string().trim().max(2_000).nullish() });
