import type { Database } from "../db/database";
import type { ClaimFilter } from "../claim/service";
import type { ClaimRow } from "../claim/sql";
import type { Loaders } from "../graphql/context";
import type { SharedCount } from "../graphql/listedItems";
import type { Logger } from "../logger";
import { type ChangeLog, cursorAhead, cursorExpired, encodeCursor, replayListsTooMuch, replayTooLarge, type Change, type Position } from "./changeLog";
import { matches, normalizeWatch, type WatchFilter } from "./match";
import { ReplayGate } from "./replayGate";

/** Channel of the database trigger that announces every committed claim change (see its migration). */
export const CLAIMS_CHANNEL = "claimgraph_claims";

/** Claim changes read per statement: the live batch and a replay's page. */
const PAGE = 500;

/** Replay reads of the change log (a replay's check or page) running at once per process; the rest wait in order. */
export const REPLAY_READS = 2;

/**
 * One event of a subscription: the claim now, the cursor to resume after it, and the loaders of its
 * batch — shared by every subscription the batch reaches, so a nested field (a claim's article,
 * source, history) is read once per batch, not once per subscriber.
 */
export interface LiveEvent {
  claim: ClaimRow;
  cursor: string;
  loaders: Loaders;
  /**
   * A replay's events are counted together as one answer (graphql/listedItems.ts): each alone may
   * list MAX_COST items, and a replay runs one per change after a cursor anyone can make up, so one
   * subscribe message could ask for LIVE_REPLAY_MAX answers' worth (31 seed changes answered 21 MB
   * at MAX_COST 2,000). Live events, paced by writes, are counted one by one.
   */
  shared?: SharedCount;
}



/** What a WebSocket connection lends its subscriptions: a shared bound on their undelivered events. */
export interface ConnectionBudget {
  /** Events queued for the connection's subscriptions and not yet handed to the socket. */
  pending: number;
  readonly limit: number;
  /** Called once when `pending` would pass `limit`: the connection is closed (a slow consumer). */
  overflow(): void;
  /** Aborted when the connection closes: its subscriptions still waiting to start give up their place. */
  readonly closed: AbortSignal;
}

/** What a subscription whose connection closed before it started gets: no events, no sink. */
async function* nothing(): AsyncIterableIterator<LiveEvent> {}

function compare(a: Position, b: Position): number {
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  // ord 0 is the whole row: after every single claim of it.
  const ra = a.ord === 0 ? Infinity : a.ord;
  const rb = b.ord === 0 ? Infinity : b.ord;
  return ra === rb ? 0 : ra < rb ? -1 : 1;
}

/**
 * One subscription's events: a bounded queue (the connection's budget), delivering each change once,
 * in log order. While it replays, live changes are held and released after the replay, past its
 * last position, so nothing is lost or repeated across the switch.
 */
class Sink implements AsyncIterableIterator<LiveEvent> {
  private readonly queue: LiveEvent[] = [];
  private held: { change: Change; loaders: Loaders }[] | null = null;
  /** Resolves a consumer waiting for an event. */
  private wake: (() => void) | null = null;
  /** Resolves a replay waiting for the consumer to take its page. */
  private drained: (() => void) | null = null;
  private failure: unknown = null;
  /** The count the replay's events share, while it replays. */
  private replayCount: SharedCount | null = null;
  /** Aborted when the subscription ends: a replay waiting for its turn leaves the queue. */
  private readonly ended = new AbortController();
  closed = false;

  constructor(
    readonly filter: WatchFilter,
    /** Delivered through here: later changes only. */
    private delivered: Position,
    private readonly budget: ConnectionBudget,
    private readonly onClose: () => void,
    /** The feed's count of events handed out, one per event this sink returns. */
    private readonly handedOut: { events: number },
  ) {}

  /** A change from the live feed (already matched). */
  offer(change: Change, loaders: Loaders) {
    if (!this.held) return this.push(change, loaders);
    // Held changes are bounded like queued ones: past the budget the connection is closed.
    if (this.held.length >= this.budget.limit) return this.budget.overflow();
    this.held.push({ change, loaders });
  }

  /** Queues a change; a live one (not replayed) over the connection's budget closes the connection instead. */
  private push(change: Change, loaders: Loaders, replayed = false) {
    if (this.closed || compare(change.position, this.delivered) <= 0) return;
    if (!replayed && this.budget.pending >= this.budget.limit) {
      this.budget.overflow();
      return;
    }
    this.delivered = change.position;
    this.budget.pending++;
    const shared = replayed ? (this.replayCount ?? undefined) : undefined;
    this.queue.push({ claim: change.claim!, cursor: encodeCursor(change.position), loaders, shared });
    this.wake?.();
  }

  /**
   * Replays the log after the start position, `page` changes at a time, then lets the held live
   * changes through. Pulled by the consumer: a page is read only once the previous one was taken, so
   * a replay holds at most `page` events (it never trips the budget, which is for live events).
   */
  async replay(log: ChangeLog, page: number, newLoaders: () => Loaders, gate: ReplayGate) {
    this.held = [];
    this.replayCount = {};
    try {
      for (;;) {
        while (!this.closed && this.queue.length > 0) await new Promise<void>((resolve) => (this.drained = resolve));
        if (this.closed) return;
        const read = await gate.run(() => log.page(this.delivered, page), this.ended.signal);
        if (!read) return;
        const { changes } = read;
        const last = changes.at(-1);
        const loaders = newLoaders();
        for (const change of changes) if (matches(this.filter, change)) this.push(change, loaders, true);
        // Past non-matching changes too, so the next page starts after them.
        if (last && compare(last.position, this.delivered) > 0) this.delivered = last.position;
        if (changes.length < page) break;
      }
      const held = this.held;
      this.held = null;
      for (const { change, loaders } of held) this.push(change, loaders);
    } catch (err) {
      this.failure = err;
      this.wake?.();
    }
  }

  async next(): Promise<IteratorResult<LiveEvent>> {
    for (;;) {
      // The replay's events went past one answer's items: the rest is not worth replaying.
      if (this.replayCount?.listed?.exceeded && !this.failure) this.stopReplay();
      if (this.queue.length) await takeTurn();
      const event = this.queue.shift();
      if (event) {
        this.budget.pending--;
        this.handedOut.events++;
        if (this.queue.length === 0) this.drained?.();
        return { done: false, value: event };
      }
      if (this.failure) throw this.failure;
      if (this.closed) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Ends the subscription with REPLAY_TOO_LARGE: the client refetches and subscribes again without a cursor. */
  private stopReplay() {
    this.failure = replayListsTooMuch(this.replayCount!.listed!.max);
    this.budget.pending -= this.queue.length;
    this.queue.length = 0;
    this.closed = true;
    this.ended.abort();
    this.onClose();
    this.drained?.();
  }

  async return(): Promise<IteratorResult<LiveEvent>> {
    if (!this.closed) {
      this.closed = true;
      this.ended.abort();
      this.budget.pending -= this.queue.length;
      this.queue.length = 0;
      this.onClose();
      this.wake?.();
      this.drained?.();
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/**
 * Subscriptions take turns with everything else on the event loop: one event is handed to its
 * subscription per loop iteration, so a change fanned out to thousands of subscriptions (each
 * executing its selection on the event loop) never holds the loop in one burst; I/O, /health
 * included, is served between turns. Process-wide, first come first served.
 */
const turns: (() => void)[] = [];
function takeTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (turns.push(resolve) === 1) setImmediate(nextTurn);
  });
}
function nextTurn() {
  turns.shift()?.();
  if (turns.length) setImmediate(nextTurn);
}

/**
 * Turns the claim change log into per-subscription streams. Notifications only wake it: each batch
 * is read from the log after the last position this process handled — one statement for up to
 * PAGE changes, whatever the number of subscriptions — and matched in memory against each distinct
 * (normalised) filter once. Reading the log, not the payloads, also covers notifications lost while
 * the listen connection was down.
 */
export class ClaimFeed {
  private readonly groups = new Map<string, Set<Sink>>();
  private position: Position = { seq: 0n, ord: 0 };
  private draining: Promise<void> | null = null;
  private again = false;
  /** Shared by every replay of this process (see REPLAY_READS). */
  readonly replayGate = new ReplayGate(REPLAY_READS);
  /** Events handed to subscriptions so far, replays included (the turn-taking test watches it grow). */
  readonly handedOut = { events: 0 };

  constructor(
    readonly log: ChangeLog,
    private readonly newLoaders: () => Loaders,
    private readonly logger: Logger,
    private readonly replay: { max: number; page: number },
  ) {}

  async start(db: Pick<Database, "listen">): Promise<void> {
    this.position = await this.log.head();
    const wake = () => this.wake();
    await db.listen(CLAIMS_CHANNEL, { message: wake, resumed: wake });
  }

  /**
   * Claims matching `filter` as they change, until the iterator is returned (the client
   * unsubscribes). With `after` (a cursor of an earlier event), every matching change after it is
   * replayed first; an expired cursor, one ahead of the log, or a replay over the limit fails now, before any event.
   */
  async watch(filter: ClaimFilter, after: Position | null, budget: ConnectionBudget): Promise<AsyncIterableIterator<LiveEvent>> {
    if (after) {
      const state = await this.replayGate.run(() => this.log.checkReplay(after, this.replay.max), budget.closed);
      if (state === undefined) return nothing();
      if (state === "expired") throw cursorExpired();
      if (state === "ahead") throw cursorAhead();
      if (state === "tooLarge") throw replayTooLarge(this.replay.max);
    }
    if (budget.closed.aborted) return nothing();
    const { filter: normal, key } = normalizeWatch(filter);
    // Live from what this process has handled: the next batch is the first this subscription sees.
    const start = after ?? this.position;
    let sinks = this.groups.get(key);
    if (!sinks) this.groups.set(key, (sinks = new Set()));
    const group = sinks;
    const sink = new Sink(normal, start, budget, () => {
      group.delete(sink);
      if (group.size === 0 && this.groups.get(key) === group) this.groups.delete(key);
    }, this.handedOut);
    group.add(sink);
    if (after) void sink.replay(this.log, this.replay.page, this.newLoaders, this.replayGate);
    return sink;
  }

  /** How many subscriptions are watching (for readiness checks in tests and for logs). */
  get watchers(): number {
    let n = 0;
    for (const sinks of this.groups.values()) n += sinks.size;
    return n;
  }

  /** Distinct filters being watched. */
  get filters(): number {
    return this.groups.size;
  }

  private wake() {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        if (this.groups.size === 0) {
          // Nobody to tell: skip to the head rather than read what nobody watches.
          const head = await this.log.head();
          if (this.groups.size === 0 && compare(head, this.position) > 0) this.position = head;
          if (this.groups.size === 0) continue;
        }
        for (;;) {
          const { changes } = await this.log.page(this.position, PAGE);
          this.dispatch(changes);
          if (changes.length) this.position = changes.at(-1)!.position;
          if (changes.length < PAGE) break;
        }
      } catch (err) {
        // The next notification (or the listen connection's return) tries again from the same position.
        this.logger.warn({ err }, "could not read the claim change log");
      }
    } while (this.again);
  }

  private dispatch(changes: Change[]) {
    if (changes.length === 0) return;
    const loaders = this.newLoaders();
    for (const sinks of this.groups.values()) {
      const filter = sinks.values().next().value!.filter;
      for (const change of changes) {
        if (!matches(filter, change)) continue;
        for (const sink of sinks) sink.offer(change, loaders);
      }
    }
  }
}
