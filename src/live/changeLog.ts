import { GraphQLError } from "graphql";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { SqlReader } from "../db/database";
import { CLAIMS, toClaimRows, type ClaimRow } from "../claim/sql";
import { badInput } from "../validation/badInput";

/**
 * The claim change log (migration 20261206200000_claim_change_log): rows of up to 100 changed claim
 * ids, numbered by `seq` in commit order. A position is (seq, ord): through the ord-th claim of row
 * seq, or through the whole row when ord is 0. It is a database position, so a cursor taken on one
 * replica or before a restart resumes on any other.
 */
export interface Position {
  seq: bigint;
  ord: number;
}

/** A changed claim read from the log, with what watch filters match on (see match.ts). */
export interface Change {
  position: Position;
  /** The claim now; null when it was deleted since. */
  claim: ClaimRow | null;
  /** The claim's source and the sources it is affiliated with, transitively (`self` marks its own). */
  sources: { self: boolean; slug: string; aliases: string[] }[];
  eventIds: string[];
}

export interface ChangePage {
  changes: Change[];
  /** Where the log has been pruned through: a position before it may have lost changes. */
  prunedThrough: bigint;
}

const CURSOR_VERSION = "c1";

/** The opaque cursor of a position: base64url of "c1:<seq>:<ord>". */
export function encodeCursor({ seq, ord }: Position): string {
  return Buffer.from(`${CURSOR_VERSION}:${seq}:${ord}`).toString("base64url");
}

/** A cursor back to its position; anything not made by encodeCursor is BAD_USER_INPUT. */
export function decodeCursor(cursor: string): Position {
  const text = cursor.length <= 100 ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const match = /^c1:(0|[1-9]\d{0,18}):(0|[1-9]\d{0,2})$/.exec(text);
  if (!match || BigInt(match[1]) > 2n ** 63n - 1n) throw badInput("after is not a cursor of a live event", "after");
  return { seq: BigInt(match[1]), ord: Number(match[2]) };
}

/** Whether changes after `position` may have been pruned. */
export function expired(position: Position, prunedThrough: bigint): boolean {
  return position.seq < prunedThrough || (position.seq === prunedThrough && position.ord > 0);
}

export function cursorExpired(): GraphQLError {
  return new GraphQLError("the cursor is older than the change log keeps (LIVE_RETENTION_HOURS): refetch, then subscribe again", {
    extensions: { code: "CURSOR_EXPIRED" },
  });
}

/** A cursor past the log's head (a restored or re-seeded database): it would wait for positions that mean other changes. */
export function cursorAhead(): GraphQLError {
  return new GraphQLError("the cursor is not from this database's log or is ahead of it: refetch, then subscribe without after", {
    extensions: { code: "CURSOR_EXPIRED" },
  });
}

export function replayTooLarge(max: number): GraphQLError {
  return new GraphQLError(`more than ${max} claim changes happened after the cursor: refetch, then subscribe again`, {
    extensions: { code: "REPLAY_TOO_LARGE", max },
  });
}

/** The replay's events together listed more than one answer may (graphql/listedItems.ts). */
export function replayListsTooMuch(maxItems: number): GraphQLError {
  return new GraphQLError(
    `the events replayed after the cursor list more than ${maxItems} items together (one answer's worth): refetch, then subscribe again (or select less in each event)`,
    { extensions: { code: "REPLAY_TOO_LARGE", maxItems } },
  );
}

/** Rows after a position: every later row, and the rest of the position's own row. */
function after({ seq, ord }: Position): Prisma.Sql {
  // The seq as text: drivers do not all send a BigInt.
  const s = seq.toString();
  return Prisma.sql`l.seq >= ${s}::bigint AND (l.seq > ${s}::bigint OR (${ord}::int > 0 AND x.ord > ${ord}::int))`;
}

interface ChangeRow extends Record<string, unknown> {
  prunedThrough: string;
  seq: string | null;
  ord: number | null;
  size: number | null;
  sources: Change["sources"] | null;
  eventIds: string[] | null;
}

export class ChangeLog {
  constructor(
    private readonly read: SqlReader,
    /** The primary, for pruning (reads may go to a standby). */
    private readonly prisma: PrismaClient,
  ) {}

  /** The newest position: live delivery starts after it. */
  async head(): Promise<Position> {
    const [row] = await this.read<{ seq: string }>(
      Prisma.sql`SELECT COALESCE((SELECT max(seq) FROM claim_change), (SELECT pruned_through FROM claim_change_horizon))::text AS seq`,
    );
    return { seq: BigInt(row.seq), ord: 0 };
  }

  /**
   * Up to `limit` claim changes after `from`, in order, each with the claim's current row and what
   * the watch filters match on, in one statement; plus the horizon, read in the same snapshot.
   */
  async page(from: Position, limit: number): Promise<ChangePage> {
    const rows = await this.read<ChangeRow>(Prisma.sql`
      WITH RECURSIVE page AS (
        SELECT l.seq, x.ord::int AS ord, cardinality(l.claim_ids) AS size, x.claim_id
        FROM claim_change l CROSS JOIN LATERAL unnest(l.claim_ids) WITH ORDINALITY AS x(claim_id, ord)
        WHERE ${after(from)}
        ORDER BY l.seq, x.ord
        LIMIT ${limit}
      ), chain AS (
        SELECT DISTINCT c.source_id AS root, c.source_id AS id FROM page p JOIN claim c ON c.id = p.claim_id
        UNION
        SELECT ch.root, s.affiliation_id FROM chain ch JOIN source s ON s.id = ch.id WHERE s.affiliation_id IS NOT NULL
      ), names AS (
        SELECT ch.root, json_agg(json_build_object(
          'self', ch.root = ch.id, 'slug', s.slug,
          'aliases', (SELECT COALESCE(array_agg(a.normalized), '{}') FROM source_alias a WHERE a.source_id = s.id))) AS sources
        FROM chain ch JOIN source s ON s.id = ch.id GROUP BY ch.root
      )
      SELECT h.pruned_through::text AS "prunedThrough", r.* FROM claim_change_horizon h LEFT JOIN LATERAL (
        SELECT p.seq::text AS "seq", p.seq AS "seqOrder", p.ord AS "ord", p.size AS "size", ${CLAIMS.row},
               n.sources AS "sources", ARRAY(SELECT ce.event_id::text FROM claim_event ce WHERE ce.claim_id = p.claim_id) AS "eventIds"
        FROM page p LEFT JOIN claim c ON c.id = p.claim_id LEFT JOIN names n ON n.root = c.source_id
      ) r ON true
      ORDER BY r."seqOrder", r.ord`);
    const prunedThrough = BigInt(rows[0].prunedThrough);
    const changes = rows
      .filter((row) => row.seq !== null)
      .map((row): Change => {
        const { prunedThrough: _p, seq, seqOrder: _s, ord, size, sources, eventIds, ...claim } = row;
        const position = { seq: BigInt(seq!), ord: ord === size ? 0 : ord! };
        return {
          position,
          claim: claim.id == null ? null : toClaimRows([claim])[0],
          sources: sources ?? [],
          eventIds: eventIds ?? [],
        };
      });
    return { changes, prunedThrough };
  }

  /**
   * How a replay after `from` stands, read before any of it is sent: expired, ahead of the log's head
   * (a cursor of another or a restored database), too large (more than
   * `max` claim changes; at most max + 1 rows are read to tell), or fine.
   */
  async checkReplay(from: Position, max: number): Promise<"expired" | "ahead" | "tooLarge" | "ok"> {
    const [row] = await this.read<{ prunedThrough: string; head: string; n: number }>(Prisma.sql`
      SELECT (SELECT pruned_through FROM claim_change_horizon)::text AS "prunedThrough",
             COALESCE((SELECT max(seq) FROM claim_change), (SELECT pruned_through FROM claim_change_horizon))::text AS head,
             COALESCE(sum(cardinality(l.claim_ids)), 0)::int AS n
      FROM (SELECT claim_ids FROM claim_change l WHERE l.seq > ${from.seq.toString()}::bigint ORDER BY l.seq LIMIT ${max + 1}) l`);
    if (expired(from, BigInt(row.prunedThrough))) return "expired";
    if (from.seq > BigInt(row.head)) return "ahead";
    return row.n > max ? "tooLarge" : "ok";
  }

  /** Deletes up to `maxRows` of the changes older than the retention window; returns how many. */
  async prune(retentionHours: number, maxRows: number): Promise<number> {
    const before = new Date(Date.now() - retentionHours * 3_600_000);
    const [{ n }] = await this.prisma.$queryRaw<{ n: number }[]>`SELECT claimgraph_prune_claim_changes(${before}::timestamp, ${maxRows}::int) AS n`;
    return n;
  }
}
