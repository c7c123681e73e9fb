import { setImmediate as nextTurn } from "node:timers/promises";
import type { ClaimOrigin, Prisma } from "../generated/prisma/client";
import type { Actor } from "../auth/actor";
import { cpuPool, cpuTask } from "../cpu/pool";
import type { reanchorAll } from "./anchoring";

const reanchorTask = cpuTask<typeof reanchorAll>(require.resolve("./anchoring"), "reanchorAll");

export interface ReanchoringSummary {
  exact: number;
  fuzzy: number;
  orphaned: number;
}

/**
 * Re-locates the quotes of an article's claims in its new body, inside the caller's transaction.
 * A claim whose offsets or anchoring state change gets an ANCHORING entry in its history.
 * `origins` limits it to some claims (a seed refresh sets its own claims' spans itself).
 * The matching runs in the CPU pool, within its budget (anchoring.ts); `signal` is the request's:
 * when it aborts the worker stops and the error rolls the caller's transaction back. Without a
 * signal (the seed importer) the task waits for a thread instead of being refused.
 */
export async function reanchorClaims(
  tx: Prisma.TransactionClient,
  articleId: string,
  body: string,
  actor: Actor,
  origins?: ClaimOrigin[],
  signal?: AbortSignal,
): Promise<ReanchoringSummary> {
  const claims = await tx.claim.findMany({
    where: { articleId, ...(origins ? { origin: { in: origins } } : {}) },
    select: { id: true, quoteStart: true, quoteEnd: true, quoteExact: true, quotePrefix: true, quoteSuffix: true, anchoring: true, anchorScore: true },
    orderBy: { quoteStart: "asc" },
  });
  const summary: ReanchoringSummary = { exact: 0, fuzzy: 0, orphaned: 0 };
  if (!claims.length) return summary;
  const selectors = claims.map((c) => ({ exact: c.quoteExact, prefix: c.quotePrefix, suffix: c.quoteSuffix, start: c.quoteStart }));
  const anchors = await cpuPool().run(reanchorTask, [body, selectors], { signal, shed: signal !== undefined });
  for (const [i, claim] of claims.entries()) {
    const anchor = anchors[i]!;
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
    // The embedded database answers within the same turn of the event loop: without a pause, 140
    // writes ran as one chain of microtasks and held /health for a second.
    await nextTurn();
    signal?.throwIfAborted();
  }
  return summary;
}
