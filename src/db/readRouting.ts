import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import type { Logger } from "../logger";
import type { ListenHandler } from "./listener";
import { lsnValue, parseWriteNotice } from "./writes";

/**
 * The write flag of the request being served: once it is set (the operation is a mutation) every
 * read of that request goes to the primary, so a mutation's answer includes its own changes.
 */
export const requestWrites = new AsyncLocalStorage<{ happened: boolean }>();

/** While a lagging replica is polled, a new replay position is asked for at most this often. */
const POLL_INTERVAL_MS = 10;
/** A replica that failed a read is left alone this long. */
const REPLICA_BACKOFF_MS = 1_000;

const REPLAY_POSITION = `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn`;

export interface RoutingStats {
  /** Reads served by the replica / by the primary (replica behind, unavailable, or a mutation). */
  replicaReads: number;
  primaryReads: number;
  /** Replay-position queries sent to the replica. */
  positionChecks: number;
}

export interface ReplicaStatus extends RoutingStats {
  available: boolean;
  replayLsn: string | null;
  /** WAL bytes the replica has still to replay to reach the primary's current position. */
  lagBytes: number | null;
  /** Whether it has replayed every write this process knows of (reads go to it). */
  caughtUp: boolean;
}

/**
 * Read-your-writes over one hot standby. The process knows the newest write position it has seen
 * (its own writes, and every NOTIFY on the writes channel, which carries the writer's commit
 * position); a read goes to the replica only once its replay position has reached that. Replay
 * positions only grow, so the last one read is a lower bound that stays true: with no new writes
 * the check costs nothing, and after a write one query per POLL_INTERVAL_MS tells when it caught up.
 * A write whose position is unknown (a trigger's notice, a lost listen connection) keeps reads on
 * the primary until the primary's current position has been read.
 */
export class ReadRouter {
  private newestWrite = 0n;
  private replayed = -1n;
  /** Reasons the replica must not be used right now (pending position look-ups, listener down). */
  private blocked = 0;
  private polling: Promise<void> | null = null;
  private lastPoll = 0;
  private replicaDownUntil = 0;
  readonly stats: RoutingStats = { replicaReads: 0, primaryReads: 0, positionChecks: 0 };

  constructor(
    private readonly replica: pg.Pool,
    private readonly primaryPosition: () => Promise<string>,
    private readonly log: Logger,
  ) {}

  /** Records a write at a known position. */
  noteWrite(lsn: string | null) {
    if (lsn === null) return void this.noteUnknownWrite();
    const value = lsnValue(lsn);
    if (value > this.newestWrite) this.newestWrite = value;
  }

  /** Records a write at an unknown position: the primary's current position is at or past it. */
  noteUnknownWrite(): Promise<void> {
    this.blocked++;
    const settle = async (): Promise<void> => {
      try {
        this.noteWrite(await this.primaryPosition());
        this.blocked--;
      } catch (err) {
        this.log.warn({ err: { message: (err as Error).message } }, "cannot read the primary's write position; reading from the primary");
        await new Promise((resolve) => setTimeout(resolve, 500).unref());
        return settle();
      }
    };
    return settle();
  }

  /** Subscriber of the writes channel. */
  readonly listener: ListenHandler = {
    message: (payload) => this.noteWrite(parseWriteNotice(payload).lsn),
    lost: () => void this.blocked++,
    resumed: () => void this.noteUnknownWrite().then(() => this.blocked--),
  };

  /** Whether a read may go to the replica now; asks the replica for its position only when needed. */
  async useReplica(): Promise<boolean> {
    if (requestWrites.getStore()?.happened || this.blocked > 0 || Date.now() < this.replicaDownUntil) return false;
    const target = this.newestWrite;
    if (this.replayed >= target) return true;
    if (!this.polling && Date.now() - this.lastPoll < POLL_INTERVAL_MS) return false;
    await (this.polling ??= this.poll());
    return this.replayed >= target && this.blocked === 0;
  }

  /** The replica failed a read: the primary answers for a while. */
  replicaFailed(err: Error) {
    this.replicaDownUntil = Date.now() + REPLICA_BACKOFF_MS;
    this.log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, "read replica failed; reading from the primary");
  }

  /** The replica's replay position and how far it is behind the newest write this process knows of. */
  /** The replica's replay position, its distance behind the primary's current position, and whether reads may use it now. */
  async status(): Promise<ReplicaStatus> {
    const [primary] = await Promise.all([this.primaryPosition(), (this.polling ??= this.poll())]);
    if (this.replayed < 0n || Date.now() < this.replicaDownUntil) return { available: false, replayLsn: null, lagBytes: null, caughtUp: false, ...this.stats };
    const behind = lsnValue(primary) - this.replayed;
    return {
      available: true,
      replayLsn: formatLsn(this.replayed),
      lagBytes: Number(behind > 0n ? behind : 0n),
      caughtUp: this.replayed >= this.newestWrite && this.blocked === 0,
      ...this.stats,
    };
  }

  private async poll(): Promise<void> {
    this.lastPoll = Date.now();
    this.stats.positionChecks++;
    try {
      const { rows } = await this.replica.query<{ lsn: string | null }>(REPLAY_POSITION);
      const lsn = rows[0]?.lsn;
      if (lsn) this.replayed = lsnValue(lsn) > this.replayed ? lsnValue(lsn) : this.replayed;
    } catch (err) {
      this.replicaFailed(err as Error);
    } finally {
      this.polling = null;
    }
  }
}

function formatLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}
