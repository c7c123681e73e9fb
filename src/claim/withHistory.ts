import { Prisma, type Claim, type VerdictChange } from "../generated/prisma/client";
import { selectList } from "../db/columns";
import { PLAIN_LIST_ROWS } from "../db/paging";
import { CLAIMS, VERDICT_CHANGES } from "./sql";

// The verdict change's columns carry this prefix beside the claim's.
const PREFIX = "h_";
const CLAIM_NAMES = Object.keys(CLAIMS.fields) as (keyof Claim & string)[];
const CHANGE_NAMES = Object.keys(VERDICT_CHANGES.fields) as (keyof VerdictChange & string)[];
const CHANGE_COLUMNS = Prisma.raw(selectList(VERDICT_CHANGES.fields, CHANGE_NAMES, PREFIX).join(", "));
const NEWEST_FIRST = Prisma.raw(`h."${PREFIX}createdAt" DESC, h."${PREFIX}id" DESC`);

/** The verdict changes of the given claims, newest first (the (claim_id, created_at, id) index). */
export function historySql(claimIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT ${VERDICT_CHANGES.row} FROM ${VERDICT_CHANGES.from}
    WHERE v.claim_id = ANY(${claimIds}::uuid[]) ORDER BY v.claim_id, v.created_at DESC, v.id DESC LIMIT ${PLAIN_LIST_ROWS}`;
}

/**
 * A claim with its verdict history (newest first, as historySql orders it), in one statement: a
 * claim page is one round trip instead of two. One row per verdict change, the claim's columns
 * repeated; one row with NULL changes when it has none; no row when there is no such claim.
 */
export function claimWithHistorySql(id: string): Prisma.Sql {
  return Prisma.sql`SELECT ${CLAIMS.row}, h.* FROM ${CLAIMS.from}
    LEFT JOIN LATERAL (SELECT ${CHANGE_COLUMNS} FROM ${VERDICT_CHANGES.from} WHERE v.claim_id = c.id) h ON true
    WHERE c.id = ${id}::uuid
    ORDER BY ${NEWEST_FIRST} LIMIT ${PLAIN_LIST_ROWS}`;
}

/** The claim and its history from claimWithHistorySql's rows, as fresh objects shaped like the separate reads' rows. */
export function splitClaimWithHistory(rows: Record<string, unknown>[]): { claim: Claim; history: VerdictChange[] } | null {
  if (rows.length === 0) return null;
  const claim: Record<string, unknown> = {};
  for (const name of CLAIM_NAMES) claim[name] = rows[0][name];
  const history = rows[0][`${PREFIX}id`] == null
    ? []
    : rows.map((row) => {
        const change: Record<string, unknown> = {};
        for (const name of CHANGE_NAMES) change[name] = row[PREFIX + name];
        return change as unknown as VerdictChange;
      });
  return { claim: claim as unknown as Claim, history };
}
