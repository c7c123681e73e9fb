import { Prisma, type AnchoringState } from "../generated/prisma/client";
import type { Actor } from "../auth/actor";
import { cpuPool, cpuTask } from "../cpu/pool";
import type { AnchoredQuote, reanchorAll } from "./anchoring";

const reanchorTask = cpuTask<typeof reanchorAll>(require.resolve("./anchoring"), "reanchorAll");

export interface ReanchoringSummary {
  exact: number;
  fuzzy: number;
  orphaned: number;
}

/**
 * Re-locates the quotes of an article's claims in its new body, inside the caller's transaction.
 * A claim whose offsets or anchoring state change gets an ANCHORING entry in its history.
 * `placed`: claims the caller has just set against this body itself (a seed refresh's own), left out.
 * The matching runs in the CPU pool, within its budget (anchoring.ts); `signal` is the request's:
 * when it aborts the worker stops and the error rolls the caller's transaction back. Without a
 * signal (the seed importer) the task waits for a thread instead of being refused.
 */
export async function reanchorClaims(
  tx: Prisma.TransactionClient,
  articleId: string,
  body: string,
  actor: Actor,
  signal?: AbortSignal,
  placed: readonly string[] = [],
): Promise<ReanchoringSummary> {
  // Read locked, after the article's row (the caller's lock order): a claim changed since a read
  // without a lock (an editor's new quote) had its old quote's offsets written back over the change.
  const claims = (await tx.$queryRaw<StoredSelector[]>(lockSelectorsSql(articleId, placed))).sort((a, b) => a.quoteStart - b.quoteStart);
  const summary: ReanchoringSummary = { exact: 0, fuzzy: 0, orphaned: 0 };
  if (!claims.length) return summary;
  const selectors = claims.map((c) => ({ exact: c.quoteExact, prefix: c.quotePrefix, suffix: c.quoteSuffix, start: c.quoteStart }));
  const anchors = await cpuPool().run(reanchorTask, [body, selectors], { signal, shed: signal !== undefined });
  const moves: Move[] = [];
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
    // An orphan keeps its last offsets: they are the "old position" of the next re-anchoring.
    const orphan = anchor.state === "ORPHANED";
    moves.push({
      id: claim.id,
      from: claim.anchoring,
      to: anchor.state,
      score: anchor.score,
      storedScore: anchor.state === "EXACT" || orphan ? null : anchor.score,
      start: orphan ? claim.quoteStart : anchor.start,
      end: orphan ? claim.quoteEnd : anchor.end,
      rationale,
    });
  }
  // Set-based: a correction that moves every claim of a 20,000-claim article wrote 40,000 statements
  // one at a time and ran past the request's timeout; now two statements per 5,000 claims.
  for (let i = 0; i < moves.length; i += WRITE_BATCH) {
    signal?.throwIfAborted();
    const batch = moves.slice(i, i + WRITE_BATCH);
    await tx.$executeRaw(anchoringHistorySql(batch, actor));
    await tx.$executeRaw(anchoringUpdateSql(batch));
  }
  return summary;
}

/** A claim's selector and anchoring as re-anchoring reads them: the columns a quote view reads, and its id. */
type StoredSelector = AnchoredQuote & { id: string };

/** An article's claims but `placed`, locked until the commit in id order, as the seed importer locks claims. */
function lockSelectorsSql(articleId: string, placed: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT id::text AS id, quote_start AS "quoteStart", quote_end AS "quoteEnd", quote_exact AS "quoteExact",
           quote_prefix AS "quotePrefix", quote_suffix AS "quoteSuffix", anchoring::text AS anchoring, anchor_score AS "anchorScore"
    FROM claim WHERE article_id = ${articleId}::uuid ${placed.length ? Prisma.sql`AND NOT (id = ANY(${placed}::uuid[]))` : Prisma.empty}
    ORDER BY id FOR UPDATE`;
}

/** Claims per statement: well inside the statement timeout, and arrays of a few hundred KB. */
const WRITE_BATCH = 5_000;

/** A claim whose anchoring changes: its new state, offsets and the history entry's words. */
interface Move {
  id: string;
  from: AnchoringState;
  to: AnchoringState;
  /** The match's score, as the history records it (1 for an exact match). */
  score: number | null;
  /** The score the claim stores: none for an exact match or an orphan. */
  storedScore: number | null;
  start: number;
  end: number;
  rationale: string;
}

/** One ANCHORING history entry per moved claim, in one statement. */
function anchoringHistorySql(moves: Move[], actor: Actor): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO verdict_change (id, claim_id, aspect, from_anchoring, to_anchoring, anchor_score, rationale, evidence_urls, changed_by, api_key_id, created_at)
    SELECT gen_random_uuid(), claim_id, 'ANCHORING', from_anchoring::"AnchoringState", to_anchoring::"AnchoringState", anchor_score, rationale,
           '{}', ${actor.name}, ${actor.apiKeyId}::uuid, now()
    FROM unnest(${moves.map((m) => m.id)}::uuid[], ${moves.map((m) => m.from)}::text[], ${moves.map((m) => m.to)}::text[],
                ${moves.map((m) => m.score)}::float8[], ${moves.map((m) => m.rationale)}::text[])
      AS t(claim_id, from_anchoring, to_anchoring, anchor_score, rationale)`;
}

/** The moved claims' anchoring and offsets, in one statement. */
function anchoringUpdateSql(moves: Move[]): Prisma.Sql {
  return Prisma.sql`
    UPDATE claim AS c SET anchoring = t.anchoring::"AnchoringState", anchor_score = t.anchor_score, quote_start = t.quote_start, quote_end = t.quote_end,
      updated_at = now()
    FROM unnest(${moves.map((m) => m.id)}::uuid[], ${moves.map((m) => m.to)}::text[], ${moves.map((m) => m.storedScore)}::float8[],
                ${moves.map((m) => m.start)}::int[], ${moves.map((m) => m.end)}::int[])
      AS t(id, anchoring, anchor_score, quote_start, quote_end)
    WHERE c.id = t.id`;
}
