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
/** Even without writes, the replica's identity (still a standby of the primary?) is checked this often. */
const IDENTITY_CHECK_MS = 1_000;
/** A replica that failed a read is left alone this long. */
const REPLICA_BACKOFF_MS = 1_000;

/**
 * The standby's replay and receive positions and who it is: whether it is in recovery, its
 * system identifier, and the timeline of its latest restart point. pg_control_* are readable by
 * any role; pg_stat_wal_receiver's timeline is not, so the restart point's stands in for it.
 */
const REPLICA_STATE = `SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS lsn,
  pg_last_wal_receive_lsn()::text AS received,
  (SELECT system_identifier::text FROM pg_control_system()) AS system,
  (SELECT timeline_id FROM pg_control_checkpoint()) AS timeline`;

/** The primary's current write position and identity (see openPostgres). */
export interface PrimaryState {
  lsn: string;
  system: string;
  timeline: number;
}

/** Why a read target is out of rotation (reported by /ready). */
export type ReplicaRejection = "NOT_IN_RECOVERY" | "OTHER_SYSTEM" | "OTHER_TIMELINE";

export interface RoutingStats {
  /** Reads served by the replica / by the primary (replica behind, unavailable, or a mutation). */
  replicaReads: number;
  primaryReads: number;
  /** Replay-position queries sent to the replica. */
  positionChecks: number;
}

export interface ReplicaStatus extends RoutingStats {
  available: boolean;
  /**
   * Set when the read target is not a standby of the configured primary (promoted, another
   * cluster, another timeline): it serves no read until that changes.
   */
  rejected?: { reason: ReplicaRejection; detail: string };
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
 *
 * Positions compare only along one history: every position query also checks that the replica is
 * still a standby (not promoted) of the same cluster (system identifier) on the primary's timeline,
 * and a replica that is not serves nothing until it is again (checked at least every second).
 */
export class ReadRouter {
  private newestWrite = 0n;
  private replayed = -1n;
  /** The replica's receive position (null when it is not streaming). */
  private received: bigint | null = null;
  /** Reasons the replica must not be used right now (pending position look-ups, listener down). */
  private blocked = 0;
  private polling: Promise<void> | null = null;
  private lastPoll = 0;
  private replicaDownUntil = 0;
  private primary: PrimaryState | null = null;
  private rejection: ReplicaStatus["rejected"] | null = null;
  readonly stats: RoutingStats = { replicaReads: 0, primaryReads: 0, positionChecks: 0 };

  constructor(
    private readonly replica: pg.Pool,
    private readonly primaryState: () => Promise<PrimaryState>,
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
        this.primary = await this.primaryState();
        this.noteWrite(this.primary.lsn);
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
    const sincePoll = Date.now() - this.lastPoll;
    if (this.replayed >= target && this.rejection === null && sincePoll < IDENTITY_CHECK_MS) return true;
    if (!this.polling && sincePoll < POLL_INTERVAL_MS) return false;
    await (this.polling ??= this.poll());
    return this.rejection === null && this.replayed >= target && this.blocked === 0;
  }

  /**
   * Whether a read the primary could not serve (it is unreachable) may go to the replica while
   * writes may be unknown (the listen connection is down with the primary). An unreachable primary
   * commits nothing, and a primary shutting down streams its WAL to the end before it stops; so a
   * standby of it that has replayed all it received, and every write this process knows of, holds
   * every write its clients were told of — except, with asynchronous replication, the last commits
   * before a crash. A mutation's reads never go there.
   */
  async useReplicaWhilePrimaryDown(): Promise<boolean> {
    if (requestWrites.getStore()?.happened || Date.now() < this.replicaDownUntil || this.primary === null) return false;
    await (this.polling ??= this.poll());
    return this.rejection === null && this.replayed >= this.newestWrite && (this.received === null || this.replayed >= this.received);
  }

  /** The replica failed a read: the primary answers for a while. */
  replicaFailed(err: Error) {
    this.replicaDownUntil = Date.now() + REPLICA_BACKOFF_MS;
    this.log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, "read replica failed; reading from the primary");
  }

  /** The replica's replay position, its distance behind the primary's current position, and whether reads may use it now. */
  async status(): Promise<ReplicaStatus> {
    const [primary] = await Promise.all([this.primaryState(), (this.polling ??= this.poll())]);
    this.primary = primary;
    const rejected = this.rejection ? { rejected: this.rejection } : {};
    if (this.replayed < 0n || Date.now() < this.replicaDownUntil || this.rejection) {
      return { available: false, ...rejected, replayLsn: null, lagBytes: null, caughtUp: false, ...this.stats };
    }
    const behind = lsnValue(primary.lsn) - this.replayed;
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
      const { rows } = await this.replica.query<{ recovery: boolean; lsn: string | null; received: string | null; system: string; timeline: number }>(REPLICA_STATE);
      const state = rows[0];
      this.reject(this.identityProblem(state));
      if (state.lsn && lsnValue(state.lsn) > this.replayed) this.replayed = lsnValue(state.lsn);
      this.received = state.received ? lsnValue(state.received) : null;
    } catch (err) {
      this.replicaFailed(err as Error);
    } finally {
      this.polling = null;
    }
  }

  /** Why the replica is not a standby of the configured primary, or null when it is one. */
  private identityProblem(state: { recovery: boolean; system: string; timeline: number }): ReplicaStatus["rejected"] | null {
    if (!state.recovery) return { reason: "NOT_IN_RECOVERY", detail: "the read target is not in recovery (promoted, or a primary): its writes are not the primary's" };
    if (!this.primary) return null; // the first look-up of the primary is still on its way; blocked meanwhile
    if (state.system !== this.primary.system) {
      return { reason: "OTHER_SYSTEM", detail: `the read target belongs to another cluster (system ${state.system}, the primary's is ${this.primary.system})` };
    }
    if (state.timeline !== this.primary.timeline) {
      return { reason: "OTHER_TIMELINE", detail: `the read target is on timeline ${state.timeline}, the primary on ${this.primary.timeline}` };
    }
    return null;
  }

  private reject(rejection: ReplicaStatus["rejected"] | null) {
    if (rejection?.reason !== this.rejection?.reason) {
      if (rejection) this.log.warn({ reason: rejection.reason, detail: rejection.detail }, "read replica taken out of rotation; reading from the primary");
      else if (this.rejection) this.log.info("read replica is a standby of the primary again; back in rotation");
    }
    this.rejection = rejection;
  }
}

function formatLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}
