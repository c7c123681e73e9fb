import { Prisma } from "../generated/prisma/client";
import { NEW_CLAIM_COLUMNS, asText, insertClaimEventsSql, type NewClaim } from "../claim/importSql";
import type { DesiredClaim, Link } from "./claims";
import type { ImportRun } from "./importRun";
import { insertSeedVerdictsSql, seedVerdicts, type SeedVerdict, type VerdictState } from "./seedVerdicts";

/** Rows per insert: well under PostgreSQL's 65,535 bind parameters, and one statement at a time. */
export const BATCH = 1_000;
/** Existing claims per locking or updating statement: set-based, each statement well inside the statement timeout. */
const UPDATE_BATCH = 5_000;

export function* batches<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** What an article's existing claims need, worked out (unlocked) while the article was diffed. */
export interface StoredClaimWrites {
  /** Claims whose seed-owned columns differ (`fields`), or whose seed verdicts may change. */
  claims: { id: string; claim: DesiredClaim; fields: string[] }[];
  linkRemovals: (Link & { claimId: string })[];
  linkCreates: (Link & { claimId: string })[];
  /** Ids of seed claims the seed no longer lists. */
  retirements: string[];
}

/**
 * The short, locking part of an article's claims, run at the end of the import's transaction:
 * locks the claims it changes (in id order, a few statements), decides their verdicts on the locked
 * rows — a verdict an editor set since they were read stays the editor's, and each seed verdict
 * starts from the status the row holds now — and writes every change set-based: one UPDATE … FROM
 * unnest per 5,000 claims (the offset shifts of a correction included), the links, the history.
 */
export async function writeStoredClaims(run: ImportRun, writes: StoredClaimWrites) {
  const { tx } = run;
  const ids = [...new Set([...writes.claims.map((c) => c.id), ...writes.linkRemovals.map((l) => l.claimId), ...writes.linkCreates.map((l) => l.claimId), ...writes.retirements])];
  // Sorted as PostgreSQL orders uuids (their lowercase hex), so batches lock in one global order.
  ids.sort();
  const state = new Map<string, VerdictState>();
  for (const batch of batches(ids, UPDATE_BATCH)) {
    for (const row of await tx.$queryRaw<(VerdictState & { id: string })[]>(lockVerdictStateSql(batch, run.write))) state.set(row.id, row);
  }
  const updates: ClaimUpdate[] = [];
  const verdicts: SeedVerdict[] = [];
  for (const { id, claim, fields } of writes.claims) {
    const current = state.get(id);
    if (!current) continue; // deleted since it was read
    const { changed, verdicts: made } = seedVerdicts(run, id, claim, current);
    const all = [...fields, ...Object.keys(changed)];
    if (!all.length) {
      run.unchanged("claim");
      continue;
    }
    run.record({ entity: "claim", action: "update", key: claim.key, fields: all });
    updates.push({ id, columns: claim.columns, ...changed });
    verdicts.push(...made);
  }
  if (!run.write) return;
  for (const batch of batches(updates, UPDATE_BATCH)) await tx.$executeRaw(updateClaimsSql(batch));
  for (const batch of batches(writes.linkRemovals, BATCH)) await tx.$executeRaw(deleteClaimEventsSql(batch));
  // An editor may have added the same link since it was read.
  for (const batch of batches(writes.linkCreates, BATCH)) await tx.$executeRaw(Prisma.sql`${insertClaimEventsSql(batch)} ON CONFLICT DO NOTHING`);
  for (const batch of batches(verdicts, UPDATE_BATCH)) await tx.$executeRaw(insertSeedVerdictsSql(batch));
  const retiredAt = new Date();
  for (const batch of batches(writes.retirements, BATCH)) await tx.claim.updateMany({ where: { id: { in: batch } }, data: { retiredAt } });
}

/** The verdict columns of some claims, locked until the import commits (read only, on a dry run). */
function lockVerdictStateSql(ids: string[], lock: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT id::text AS id, status::text AS status, attribution::text AS attribution,
           status_origin::text AS "statusOrigin", attribution_origin::text AS "attributionOrigin"
    FROM claim WHERE id = ANY(${ids}::uuid[]) ORDER BY id
    ${lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;
}

type ClaimUpdate = { id: string; columns: DesiredClaim["columns"] } & Partial<Pick<NewClaim, "status" | "attribution">>;

/** The seed-owned columns an update sets (retired_at is always cleared: a listed claim is not retired). */
const UPDATED: (keyof DesiredClaim["columns"] & keyof NewClaim)[] = [
  "articleId", "sourceId", "kind", "channel", "text", "saidAt", "saidAtPrecision", "note",
  "quoteStart", "quoteEnd", "quoteExact", "quotePrefix", "quoteSuffix", "anchoring", "anchorScore",
];
const UPDATED_NAMES = Prisma.raw(UPDATED.map((f) => NEW_CLAIM_COLUMNS[f][0]).join(", "));
const UPDATED_SETS = Prisma.raw(UPDATED.map((f) => `${NEW_CLAIM_COLUMNS[f][0]} = t.${NEW_CLAIM_COLUMNS[f][0]}::${NEW_CLAIM_COLUMNS[f][1]}`).join(", "));

/**
 * Many claims updated in one statement, one text array per column (unnest), cast in SQL: every
 * seed-owned column is set (those that did not change to the value they hold), and a verdict only
 * where the seed changes it.
 */
function updateClaimsSql(rows: ClaimUpdate[]): Prisma.Sql {
  const arrays = UPDATED.map((field) => Prisma.sql`${rows.map((row) => asText(row.columns[field]))}::text[]`);
  return Prisma.sql`
    UPDATE claim AS c SET ${UPDATED_SETS}, retired_at = NULL,
      status = COALESCE(t.status::"VerificationStatus", c.status),
      attribution = COALESCE(t.attribution::"AttributionStatus", c.attribution),
      updated_at = now()
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${Prisma.join(arrays)},
                ${rows.map((r) => r.status ?? null)}::text[], ${rows.map((r) => r.attribution ?? null)}::text[])
      AS t(id, ${UPDATED_NAMES}, status, attribution)
    WHERE c.id = t.id`;
}

/** Claim-event links removed in one statement. */
function deleteClaimEventsSql(rows: (Link & { claimId: string })[]): Prisma.Sql {
  return Prisma.sql`
    DELETE FROM claim_event ce
    USING unnest(${rows.map((r) => r.claimId)}::uuid[], ${rows.map((r) => r.eventId)}::uuid[], ${rows.map((r) => r.linkType)}::text[])
      AS t(claim_id, event_id, link_type)
    WHERE ce.claim_id = t.claim_id AND ce.event_id = t.event_id AND ce.link_type = t.link_type::"ClaimEventLinkType"`;
}
