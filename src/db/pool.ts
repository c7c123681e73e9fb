import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import type { Logger } from "../logger";
import { PoolBusyError } from "./errors";

/** Share of DB_CONNECT_TIMEOUT_MS a new borrower may expect to wait before it is refused at once. */
const WAIT_BUDGET = 0.5;
/** Weight of the newest checkout in the running mean of how long a connection is held. */
const HOLD_WEIGHT = 0.1;
/** The hold time assumed before any was measured (low: the first burst is not refused on a guess). */
const INITIAL_HOLD_MS = 5;

/**
 * Whether the request being served may be shed when the pool is saturated: reads that anyone could
 * send in floods (anonymous, VIEWER keys, credentials that do not authenticate) are; a request with
 * an editor's or admin's key (a verdict, an import tool) waits for a connection up to
 * DB_CONNECT_TIMEOUT_MS, so a desk's writes are not refused because readers filled the pool.
 */
export const sheddableRequest = new AsyncLocalStorage<boolean>();

/**
 * A pg pool that sheds instead of queueing past what it can serve: when every connection is busy,
 * a new borrower would wait behind the ones already waiting, about (waiting + 1) × mean hold time
 * / connections. When that exceeds half of the connect timeout it is refused at once with
 * PoolBusyError (503 OVERLOADED to the client) instead of failing later with pg-pool's "timeout
 * exceeded when trying to connect" after holding its request, its memory and a queue slot.
 * Only sheddable requests are refused (see sheddableRequest). The mean hold time is measured on
 * every checkout (acquire to release), Prisma's included.
 */
export class GatedPool extends pg.Pool {
  private holdMs = INITIAL_HOLD_MS;
  private readonly acquiredAt = new WeakMap<pg.PoolClient, number>();
  private readonly waitBudgetMs: number;

  constructor(config: pg.PoolConfig & { connectionTimeoutMillis: number; max: number }) {
    super(config);
    this.waitBudgetMs = config.connectionTimeoutMillis * WAIT_BUDGET;
    this.on("acquire", (client) => this.acquiredAt.set(client, performance.now()));
    this.on("release", (_err: Error | undefined, client: pg.PoolClient) => {
      const since = this.acquiredAt.get(client);
      if (since !== undefined) this.holdMs += (performance.now() - since - this.holdMs) * HOLD_WEIGHT;
    });
  }

  /** Whether a borrower arriving now would be refused (the HTTP layer sheds such requests before running them). */
  get saturated(): boolean {
    const full = this.totalCount >= this.options.max! && this.idleCount === 0;
    return full && ((this.waitingCount + 1) * this.holdMs) / this.options.max! > this.waitBudgetMs;
  }

  /** The mean time a connection is held, in ms (for /ready and tests). */
  get meanHoldMs(): number {
    return this.holdMs;
  }

  // pg-pool's query() borrows through connect(cb), Prisma's adapter through connect(): both pass here.
  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (sheddableRequest.getStore() && this.saturated) {
      const err = new PoolBusyError();
      if (!callback) return Promise.reject(err);
      return void process.nextTick(() => callback(err, undefined, () => undefined));
    }
    return callback ? super.connect(callback) : super.connect();
  }
}

export interface PoolOptions {
  connectionString: string;
  max: number;
  connectTimeoutMs: number;
  /** Session settings sent at connect (statement timeout, …); none through a transaction pooler. */
  statementTimeoutMs?: number;
  log: Logger;
}

/** A pool of the API's connections with the project's settings. */
export function openPool({ connectionString, max, connectTimeoutMs, statementTimeoutMs, log }: PoolOptions): GatedPool {
  const pool = new GatedPool({
    connectionString,
    max,
    // Without it a request waits forever for a pooled connection while the database is down.
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: "claimgraph",
    // Through a pooler these come from the role instead: ALTER ROLE … SET (README, "Scaling out").
    ...(statementTimeoutMs === undefined
      ? {}
      : {
          statement_timeout: statementTimeoutMs,
          // A killed client's backend otherwise keeps its transaction and locks until its statement ends.
          // No parallel plans: at 10M claims the planner gave a rare-word search a parallel worker,
          // whose start-up took it from 9 ms to 74–157 ms (bench/README.md, third pass).
          options: "-c client_connection_check_interval=1000 -c max_parallel_workers_per_gather=0",
        }),
    // Every connection keeps the statements it prepared; renewing it now and then bounds that memory.
    maxUses: 10_000,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would crash the process.
  pool.on("error", (err) => log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, "database connection lost"));
  return pool;
}
