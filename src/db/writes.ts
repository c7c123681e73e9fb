import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** PostgreSQL channel on which every write is announced, so each replica drops its response cache. */
export const WRITES_CHANNEL = "claimgraph_writes";

/**
 * What a notification on WRITES_CHANNEL says (JSON). `lsn` is a WAL position at or after the
 * write's commit; notices sent by the table triggers (migration `write_notify_triggers`) are sent
 * inside the writing transaction, before its commit position exists, so they carry none.
 */
export interface WriteNotice {
  lsn: string | null;
}

/**
 * Announces a committed write with its position, in one statement. The insert position is used
 * rather than pg_current_wal_lsn(): it is past the commit record even with synchronous_commit off.
 * Returns that position (null when the database has no WAL position to give).
 */
export async function announceWrite(client: PrismaClient | Prisma.TransactionClient): Promise<string | null> {
  const [row] = await client.$queryRawUnsafe<{ lsn: string | null }[]>(
    `SELECT lsn FROM (SELECT pg_current_wal_insert_lsn()::text AS lsn) AS position,
       LATERAL (SELECT pg_notify('${WRITES_CHANNEL}', json_build_object('lsn', lsn)::text)) AS sent`,
  );
  return row?.lsn ?? null;
}

export function parseWriteNotice(payload: string | undefined): WriteNotice {
  try {
    const lsn = (JSON.parse(payload ?? "") as { lsn?: unknown }).lsn;
    return { lsn: typeof lsn === "string" && LSN.test(lsn) ? lsn : null };
  } catch {
    return { lsn: null }; // a bare NOTIFY from another tool still means "something changed"
  }
}

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** `16/B374D848` as a comparable number. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split("/");
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}
