import type { ClaimOrigin, Prisma } from "../generated/prisma/client";
import type { Actor } from "../auth/actor";
import { reanchor } from "./anchoring";

export interface ReanchoringSummary {
  exact: number;
  fuzzy: number;
  orphaned: number;
}

/**
 * Re-locates the quotes of an article's claims in its new body, inside the caller's transaction.
 * A claim whose offsets or anchoring state change gets an ANCHORING entry in its history.
 * `origins` limits it to some claims (a seed refresh sets its own claims' spans itself).
 */
export async function reanchorClaims(
  tx: Prisma.TransactionClient,
  articleId: string,
  body: string,
  actor: Actor,
  origins?: ClaimOrigin[],
): Promise<ReanchoringSummary> {
  const claims = await tx.claim.findMany({
    where: { articleId, ...(origins ? { origin: { in: origins } } : {}) },
    select: { id: true, quoteStart: true, quoteEnd: true, quoteExact: true, quotePrefix: true, quoteSuffix: true, anchoring: true, anchorScore: true },
    orderBy: { quoteStart: "asc" },
  });
  const summary: ReanchoringSummary = { exact: 0, fuzzy: 0, orphaned: 0 };
  for (const claim of claims) {
    const anchor = reanchor(body, { exact: claim.quoteExact, prefix: claim.quotePrefix, suffix: claim.quoteSuffix, start: claim.quoteStart });
    summary[anchor.state === "EXACT" ? "exact" : anchor.state === "FUZZY" ? "fuzzy" : "orphaned"]++;
    const moved = anchor.state !== "ORPHANED" && (anchor.start !== claim.quoteStart || anchor.end !== claim.quoteEnd);
    if (!moved && anchor.state === claim.anchoring && anchor.score === (claim.anchoring === "EXACT" ? 1 : claim.anchorScore)) continue;
    const from = `${claim.quoteStart}–${claim.quoteEnd}`;
    const rationale =
      anchor.state === "ORPHANED"
        ? `the quote was not found in the corrected body (it was at ${from})`
        : anchor.state === "EXACT"
          ? `the quote was found verbatim at ${anchor.start}–${anchor.end} (was ${from})`
          : `the quote was located approximately at ${anchor.start}–${anchor.end} (was ${from}), score ${anchor.score}`;
    await tx.verdictChange.create({
      data: {
        claimId: claim.id,
        aspect: "ANCHORING",
        fromAnchoring: claim.anchoring,
        toAnchoring: anchor.state,
        anchorScore: anchor.score,
        rationale,
        evidenceUrls: [],
        changedBy: actor.name,
        apiKeyId: actor.apiKeyId,
      },
    });
    await tx.claim.update({
      where: { id: claim.id },
      // An orphan keeps its last offsets: they are the "old position" of the next re-anchoring.
      data: anchor.state === "ORPHANED"
        ? { anchoring: "ORPHANED", anchorScore: null }
        : { anchoring: anchor.state, anchorScore: anchor.state === "EXACT" ? null : anchor.score, quoteStart: anchor.start, quoteEnd: anchor.end },
    });
  }
  return summary;
}
