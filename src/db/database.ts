import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { LRUCache } from "lru-cache";
import pg from "pg";
import type { Config } from "../config";
import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { describeError } from "../describeError";
import type { Logger } from "../logger";
import { Listener, type ListenHandler } from "./listener";
import { ReadRouter, type ReplicaStatus, type RoutingStats } from "./readRouting";
import { WRITES_CHANNEL, announceWrite } from "./writes";

/** Plain SQL on one connection: migrations and advisory locks need a session, not a pool. */
export interface SqlSession {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Runs a hand-written query (built with Prisma.sql) and returns its rows, typed as Prisma's
 * $queryRaw would return them (timestamps as Dates, read as UTC). When `signal` aborts (the request
 * timed out), the query is refused or, on PostgreSQL, its running statement is cancelled.
 */
export type SqlReader = <T>(sql: Prisma.Sql, signal?: AbortSignal) => Promise<T[]>;

export interface Database {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  /**
   * The hot read path: see openPostgres for why it does not go through Prisma on PostgreSQL. With a
   * read replica it reads there whenever that keeps read-your-writes (src/db/readRouting.ts).
   */
  read: SqlReader;
  /** One connection of the primary, never through a transaction pooler (migrations, session locks). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Subscribes to NOTIFY on `channel` over the process's one listen connection (reconnected if it
   * drops). Resolves once listening; returns the unsubscribe function.
   */
  listen(channel: string, handler: ListenHandler): Promise<() => void>;
  /** Announces a committed write on the writes channel, with its position (read-your-writes). */
  announceWrite(): Promise<void>;
  /** The read replica's routing, when DATABASE_READ_URL is set. */
  replica: { status(): Promise<ReplicaStatus>; stats: RoutingStats } | null;
  close(): Promise<void>;
}

type DbConfig = Pick<
  Config,
  | "DATABASE_URL"
  | "DATABASE_READ_URL"
  | "DATABASE_DIRECT_URL"
  | "DB_POOLER"
  | "PGLITE_DATA_DIR"
  | "DB_POOL_MAX"
  | "DB_CONNECT_TIMEOUT_MS"
  | "DB_STATEMENT_TIMEOUT_MS"
>;

export interface DbOptions {
  /** Called with every SQL statement Prisma sends (tests count them to catch N+1 queries). */
  onQuery?: (sql: string) => void;
  /** An in-memory PGlite starts as a copy of this dumped data directory (tests copy a migrated template). */
  pgliteImage?: Blob;
}

const MEMORY = "memory://";

/** DATABASE_URL reaches a standby: nothing could be written, locked or listened to there. */
export class PrimaryInRecoveryError extends Error {
  readonly code = "PRIMARY_IN_RECOVERY";
  constructor() {
    super("DATABASE_URL names a standby in recovery (read-only): point it at the primary, and a standby at DATABASE_READ_URL");
  }
}

export async function openDatabase(config: DbConfig, log: Logger, options: DbOptions = {}): Promise<Database> {
  return config.DATABASE_URL
    ? openPostgres(config.DATABASE_URL, config, log, options)
    : openPglite(config.PGLITE_DATA_DIR, log, options);
}

function createPrisma(adapter: SqlDriverAdapterFactory, options: DbOptions): PrismaClient {
  if (!options.onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  prisma.$on("query", (event) => options.onQuery!(event.query));
  return prisma;
}

/**
 * PGlite is a single-process database: a second process opening the same directory would corrupt
 * it. The owner listens on a Unix-domain socket in the directory; the kernel closes it the moment
 * the owner dies (SIGKILL included), so a restart right after a crash finds it refusing connections
 * and takes over, while a live owner answers a probe with its pid.
 */
async function lockDataDir(dataDir: string): Promise<() => void> {
  const socketPath = shortSocketPath(path.join(dataDir, LOCK_SOCKET));
  const server = net.createServer((socket) => socket.end(`${process.pid}\n`));
  server.unref();
  for (let attempt = 0; ; attempt++) {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once("error", resolve);
      server.listen(socketPath, () => {
        server.off("error", resolve);
        resolve(null);
      });
    });
    if (!error) break;
    if (error.code !== "EADDRINUSE" || attempt > 0) throw new Error(`cannot lock the embedded database in ${dataDir}: ${error.message}`);
    const owner = await probeLock(socketPath);
    if (owner !== null) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${owner || "(unknown)"}; stop it, or set DATABASE_URL to share a PostgreSQL database`);
    }
    rmSync(socketPath, { force: true }); // left by a process that died: nobody listens on it
  }
  return () => {
    server.close();
    rmSync(socketPath, { force: true });
  };
}

const LOCK_SOCKET = "claimgraph.lock.sock";
/** Unix socket paths are limited to 107 bytes: use the relative path when that is shorter. */
function shortSocketPath(socketPath: string): string {
  const relative = path.relative(process.cwd(), socketPath);
  const shortest = relative.length < socketPath.length ? `./${relative}` : socketPath;
  if (Buffer.byteLength(shortest) > 100) {
    throw new Error(`the embedded database path ${socketPath} is too long for its lock socket; use a shorter PGLITE_DATA_DIR`);
  }
  return shortest;
}

/** The pid of the live process holding the lock socket, "" if it did not say, null if nobody holds it. */
function probeLock(socketPath: string): Promise<string | null> {
  return new Promise((resolve) => {
    let answer = "";
    const socket = net.connect(socketPath);
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on("data", (d) => (answer += d));
    socket.on("close", () => resolve(answer.trim()));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      socket.removeAllListeners("close");
      resolve(err.code === "ECONNREFUSED" || err.code === "ENOENT" ? null : "");
    });
  });
}

/** Written once PGlite has opened the directory: without it, a directory is an initialisation that never finished. */
const INITIALISED_MARKER = "claimgraph.initialised";
/** What PostgreSQL's initdb puts in a data directory (anything else there is not ours to delete). */
const POSTGRES_ENTRY = /^(PG_VERSION|base|global|pg_[a-z_]+|postgresql(\.auto)?\.conf|postmaster\.(opts|pid))$/;

async function createPglite(dataDir: string, log: Logger, image?: Blob) {
  const { PGlite } = await import("@electric-sql/pglite");
  // btree_gin: the claim search index covers (source_id, search_vector) (migration 20261126071000).
  const { btree_gin } = await import("@electric-sql/pglite/contrib/btree_gin");
  const options = { extensions: { btree_gin } };
  if (dataDir === MEMORY) return PGlite.create(dataDir, { ...options, loadDataDir: image });
  const entries = readdirSync(dataDir).filter((e) => e !== LOCK_SOCKET && e !== LEGACY_LOCK_FILE);
  const initialised = entries.includes(INITIALISED_MARKER);
  const open = async () => {
    const pglite = await PGlite.create(dataDir, options);
    await pglite.query("SELECT 1");
    return pglite;
  };
  try {
    const pglite = await open();
    if (!initialised) writeFileSync(path.join(dataDir, INITIALISED_MARKER), `${new Date().toISOString()}\n`);
    return pglite;
  } catch (err) {
    const reason = describeError(err);
    if (initialised || entries.length === 0) throw new Error(unreadable(dataDir, reason));
    if (!entries.every((e) => POSTGRES_ENTRY.test(e))) {
      throw new Error(`${unreadable(dataDir, reason)} (it also holds files that are not a database's, so it was left alone)`);
    }
    // A first start killed while PGlite was creating the directory: nothing was ever committed.
    log.warn({ dataDir, reason }, "the embedded database never finished initialising; creating it again");
    // Re-read: the failed attempt may have added entries of its own.
    for (const entry of readdirSync(dataDir)) {
      if (entry !== LOCK_SOCKET) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    }
    const pglite = await open().catch((again: unknown) => {
      throw new Error(unreadable(dataDir, describeError(again)));
    });
    writeFileSync(path.join(dataDir, INITIALISED_MARKER), `${new Date().toISOString()}\n`);
    return pglite;
  }
}

const LEGACY_LOCK_FILE = "claimgraph.lock";

function unreadable(dataDir: string, reason: string) {
  return (
    `the embedded database in ${dataDir} cannot be opened (${reason}); ` +
    "restore it from a backup, or move it aside to start with an empty database (the seed is loaded again on the next start)"
  );
}

async function openPglite(dataDir: string, log: Logger, options: DbOptions): Promise<Database> {
  const inMemory = dataDir === MEMORY;
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : await lockDataDir(dataDir);
  // Loaded only when used: a PostgreSQL deployment never pays for PGlite's memory.
  const [pglite, { PrismaPGlite }] = await Promise.all([
    createPglite(dataDir, log, options.pgliteImage).catch((err) => {
      unlock();
      throw err;
    }),
    import("pglite-prisma-adapter"),
  ]);
  const prisma = createPrisma(new PrismaPGlite(pglite), options);
  const session: SqlSession = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
  };
  return {
    kind: "pglite",
    prisma,
    // In-process: no round trip to save, so Prisma's own raw query path is kept.
    // A statement here runs on this thread, so there is nothing running to cancel: refuse new ones.
    read: (sql, signal) => (signal?.throwIfAborted(), prisma.$queryRaw(sql)),
    // PGlite has a single connection, so it is always "the" session.
    withSession: (fn) => fn(session),
    listen: async (channel, handler) => {
      const unsubscribe = await pglite.listen(channel, (payload) => handler.message(payload));
      return () => void unsubscribe();
    },
    announceWrite: async () => void (await announceWrite(prisma)),
    replica: null,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

async function openPostgres(url: string, config: DbConfig, log: Logger, options: DbOptions): Promise<Database> {
  // Behind a transaction pooler each statement may land on another server connection: named
  // statements collide there (42P05) and startup parameters are refused, so neither is used.
  const pooled = config.DB_POOLER === "transaction";
  const directUrl = config.DATABASE_DIRECT_URL ?? url;
  const openPool = (connectionString: string, max: number, viaPooler: boolean) => {
    const pool = new pg.Pool({
      connectionString,
      max,
      // Without it a request waits forever for a pooled connection while the database is down.
      connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      application_name: "claimgraph",
      // Through a pooler these come from the role instead: ALTER ROLE … SET (README, "Scaling out").
      ...(viaPooler
        ? {}
        : {
            statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
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
  };
  const pool = openPool(url, config.DB_POOL_MAX, pooled);
  const sessions = config.DATABASE_DIRECT_URL ? openPool(directUrl, 2, false) : pool;
  const replicaPool = config.DATABASE_READ_URL ? openPool(config.DATABASE_READ_URL, config.DB_POOL_MAX, pooled) : null;
  // Named statements are parsed and planned once per connection instead of on every call: for
  // the short, hot queries of this API that halves PostgreSQL's work (bench/README.md).
  const names = new LRUCache<string, string>({ max: 1_000 });
  const statementName = (sql: string) => {
    if (pooled) return undefined;
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `cg_${createHash("sha1").update(sql).digest("base64url")}`));
    return name;
  };
  const adapter = new PrismaPg(pool, pooled ? {} : { statementNameGenerator: (query) => statementName(query.sql)! });
  const prisma = createPrisma(adapter, options);
  const listener = new Listener(directUrl, log);
  // Position look-ups get a connection of their own on each side: queued behind a busy pool's
  // reads they would keep reads on the primary for as long as the queue is.
  const positions = replicaPool && { primary: openPool(directUrl, 1, false), replica: openPool(config.DATABASE_READ_URL!, 1, pooled) };
  const router = positions
    ? new ReadRouter(positions.replica, async () => (await positions.primary.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0].lsn, log)
    : null;
  /**
   * One statement; with a signal, an abort cancels it on the server. Behind a transaction pooler the
   * connection's process id is the pooler's, not a backend's, so there the role's statement_timeout
   * is what bounds it.
   */
  const run = async <T>(target: pg.Pool, targetUrl: string, query: pg.QueryConfig & { types: typeof UTC_TIMESTAMPS }, signal?: AbortSignal): Promise<T[]> => {
    if (!signal || pooled) return (await target.query(query)).rows as T[];
    signal.throwIfAborted();
    const client = await target.connect();
    // Aborted while waiting for a connection: the listener below would never fire.
    if (signal.aborted) {
      client.release();
      signal.throwIfAborted();
    }
    let settled = false;
    let cancelling: Promise<void> | undefined;
    const pid = (client as pg.PoolClient & { processID: number }).processID;
    // A cancel that reaches the backend before the statement starts, or whose connection fails
    // under load, is lost: it is sent again until the statement ends.
    const cancel = () =>
      (cancelling = (async () => {
        for (let attempt = 0; attempt < CANCEL_ATTEMPTS && !settled; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
          if (!settled) await cancelBackend(targetUrl, pid, log);
        }
      })());
    signal.addEventListener("abort", cancel, { once: true });
    try {
      return (await client.query(query)).rows as T[];
    } finally {
      settled = true;
      signal.removeEventListener("abort", cancel);
      // Released only once the cancel is done, so it cannot hit the next borrower's statement.
      await cancelling;
      client.release();
    }
  };
  // The hot reads (claim lists, lookups by id) are hand-written statements. Sent straight to the
  // pool they cost about a tenth less CPU and a third less memory under load than through
  // $queryRaw (bench/README.md), on the same connections, timeouts and named statements.
  const read: SqlReader = async <T>(sql: Prisma.Sql, signal?: AbortSignal) => {
    const text = sql.text;
    options.onQuery?.(text);
    // As UTC text: pg would send a Date in the process's local time.
    const values = sql.values.map((v) => (v instanceof Date ? v.toISOString() : v));
    const query = { name: statementName(text), text, values, types: UTC_TIMESTAMPS };
    if (router && (await router.useReplica())) {
      try {
        const rows = await run<T>(replicaPool!, config.DATABASE_READ_URL!, query, signal);
        router.stats.replicaReads++;
        return rows;
      } catch (err) {
        // A standby also cancels reads that conflict with replay; the primary can always answer.
        // A statement timeout or a cancelled request is not retried (that would double it).
        if ((err as { code?: string }).code === "57014" || signal?.aborted) throw err;
        router.replicaFailed(err as Error);
      }
    }
    if (router) router.stats.primaryReads++;
    return run<T>(pool, url, query, signal);
  };
  const db: Database = {
    kind: "postgres",
    prisma,
    read,
    withSession: async (fn) => {
      const client = await sessions.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
        });
      } finally {
        client.release();
      }
    },
    listen: (channel, handler) => listener.listen(channel, handler),
    announceWrite: async () => {
      const lsn = await announceWrite(prisma);
      router?.noteWrite(lsn);
    },
    replica: router && { status: () => router.status(), stats: router.stats },
    close: async () => {
      await listener.close();
      await prisma.$disconnect();
      await Promise.all([...new Set([pool, sessions, replicaPool, positions?.primary, positions?.replica])].map((p) => p?.end()));
    },
  };
  try {
    const [{ recovery }] = await db.withSession((session) => session.query<{ recovery: boolean }>("SELECT pg_is_in_recovery() AS recovery"));
    if (recovery) throw new PrimaryInRecoveryError();
    if (pooled) {
      const { rows } = await pool.query<{ timeout: string }>("SELECT current_setting('statement_timeout') AS timeout");
      if (rows[0].timeout === "0") log.warn("DB_POOLER=transaction and the role has no statement_timeout: set it with ALTER ROLE … SET statement_timeout (README, Scaling out)");
    }
    if (router) {
      // Writes made before this process listened are unknown to it: start from the primary's position.
      await listener.listen(WRITES_CHANNEL, router.listener);
      await router.noteUnknownWrite();
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

const CANCEL_ATTEMPTS = 10;
const CANCEL_RETRY_MS = 500;

/**
 * Cancels the statement a pooled connection is running (node-postgres has no per-query cancel),
 * from a connection of its own so that a full pool cannot hold it up. The connection stays usable.
 */
async function cancelBackend(url: string, pid: number, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: "claimgraph-cancel", connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT pg_cancel_backend($1)", [pid]);
  } catch (err) {
    log.warn({ err: { message: (err as Error).message }, pid }, "could not cancel a timed-out statement");
  } finally {
    await client.end().catch(() => undefined);
  }
}

const TIMESTAMP_OID = 1114;
const parseTimestamptz = pg.types.getTypeParser(1184);
const PLAIN_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?$/;
/**
 * UTC from `2024-12-24 15:45:05.386`, read digit by digit: `new Date(text)` took a few percent of a
 * page request. Years before 100, BC dates and infinities take pg's own parser.
 */
function parseUtcTimestamp(text: string): Date {
  const digits = (from: number, to: number) => {
    let value = 0;
    for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 48;
    return value;
  };
  const year = PLAIN_TIMESTAMP.test(text) ? digits(0, 4) : 0;
  if (year < 100) return parseTimestamptz(text.endsWith(" BC") ? `${text.slice(0, -3)}+00 BC` : `${text}+00`);
  const millis = text.length > 20 ? Math.floor(digits(20, text.length) * 10 ** (23 - text.length)) : 0;
  return new Date(Date.UTC(year, digits(5, 7) - 1, digits(8, 10), digits(11, 13), digits(14, 16), digits(17, 19), millis));
}
/** Columns are `timestamp` holding UTC, as Prisma writes them; pg alone would read them as local time. */
const UTC_TIMESTAMPS = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID ? parseUtcTimestamp : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
