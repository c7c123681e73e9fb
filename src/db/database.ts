import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { LRUCache } from "lru-cache";
import pg from "pg";
import type { Config } from "../config";
import { PrismaClient, type Prisma } from "../generated/prisma/client";
import type { Logger } from "../logger";

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
  /** The hot read path: see openPostgres for why it does not go through Prisma on PostgreSQL. */
  read: SqlReader;
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Calls `onMessage` for every NOTIFY on `channel`, reconnecting if the connection drops. */
  listen(channel: string, onMessage: () => void): Promise<void>;
  close(): Promise<void>;
}

type DbConfig = Pick<
  Config,
  "DATABASE_URL" | "PGLITE_DATA_DIR" | "DB_POOL_MAX" | "DB_CONNECT_TIMEOUT_MS" | "DB_STATEMENT_TIMEOUT_MS"
>;

export interface DbOptions {
  /** Called with every SQL statement Prisma sends (tests count them to catch N+1 queries). */
  onQuery?: (sql: string) => void;
}

const MEMORY = "memory://";

export async function openDatabase(config: DbConfig, log: Logger, options: DbOptions = {}): Promise<Database> {
  return config.DATABASE_URL
    ? openPostgres(config.DATABASE_URL, config, log, options)
    : openPglite(config.PGLITE_DATA_DIR, options);
}

function createPrisma(adapter: SqlDriverAdapterFactory, options: DbOptions): PrismaClient {
  if (!options.onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  prisma.$on("query", (event) => options.onQuery!(event.query));
  return prisma;
}

/**
 * PGlite is a single-process database: a second process opening the same directory would corrupt
 * it. A lock file holding the owner's pid keeps it exclusive; a dead owner's lock is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "claimgraph.lock");
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch {
    const owner = Number(readFileSync(lockFile, "utf8"));
    let alive = false;
    try {
      alive = owner > 0 && owner !== process.pid && process.kill(owner, 0);
    } catch {
      alive = false;
    }
    if (alive) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${owner}; stop it, or set DATABASE_URL to share a PostgreSQL database`);
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

async function openPglite(dataDir: string, options: DbOptions): Promise<Database> {
  const inMemory = dataDir === MEMORY;
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  // Loaded only when used: a PostgreSQL deployment never pays for PGlite's memory.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import("@electric-sql/pglite"), import("pglite-prisma-adapter")]);
  const pglite = await PGlite.create(dataDir).catch((err) => {
    unlock();
    throw err;
  });
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
    listen: async (channel, onMessage) => void (await pglite.listen(channel, onMessage)),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

async function openPostgres(url: string, config: DbConfig, log: Logger, options: DbOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.DB_POOL_MAX,
    // Without it a request waits forever for a pooled connection while the database is down.
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
    application_name: "claimgraph",
    // A killed client's backend otherwise keeps its transaction and locks until its statement ends.
    options: "-c client_connection_check_interval=1000",
    // Every connection keeps the statements it prepared; renewing it now and then bounds that memory.
    maxUses: 10_000,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would crash the process.
  pool.on("error", (err) => log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, "database connection lost"));
  // Named statements are parsed and planned once per connection instead of on every call: for
  // the short, hot queries of this API that halves PostgreSQL's work (bench/README.md).
  const names = new LRUCache<string, string>({ max: 1_000 });
  const statementName = (sql: string) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `cg_${createHash("sha1").update(sql).digest("base64url")}`));
    return name;
  };
  const adapter = new PrismaPg(pool, { statementNameGenerator: (query) => statementName(query.sql) });
  const prisma = createPrisma(adapter, options);
  // The hot reads (claim lists, lookups by id) are hand-written statements. Sent straight to the
  // pool they cost about a tenth less CPU and a third less memory under load than through
  // $queryRaw (bench/README.md), on the same connections, timeouts and named statements.
  const read: SqlReader = async <T>(sql: Prisma.Sql, signal?: AbortSignal) => {
    const text = sql.text;
    options.onQuery?.(text);
    // As UTC text: pg would send a Date in the process's local time.
    const values = sql.values.map((v) => (v instanceof Date ? v.toISOString() : v));
    const query = { name: statementName(text), text, values, types: UTC_TIMESTAMPS };
    if (!signal) return (await pool.query(query)).rows as T[];
    signal.throwIfAborted();
    const client = await pool.connect();
    let cancelling: Promise<void> | undefined;
    const cancel = () => (cancelling = cancelBackend(url, (client as pg.PoolClient & { processID: number }).processID, log));
    signal.addEventListener("abort", cancel, { once: true });
    try {
      return (await client.query(query)).rows as T[];
    } finally {
      signal.removeEventListener("abort", cancel);
      // Released only once the cancel is done, so it cannot hit the next borrower's statement.
      await cancelling;
      client.release();
    }
  };
  const listeners: Set<pg.Client> & { closed?: boolean } = new Set<pg.Client>();
  return {
    kind: "postgres",
    prisma,
    read,
    withSession: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
        });
      } finally {
        client.release();
      }
    },
    listen: (channel, onMessage) => listenWithReconnect(url, channel, onMessage, log, listeners),
    close: async () => {
      listeners.closed = true;
      const clients = [...listeners];
      listeners.clear();
      await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Cancels the statement a pooled connection is running (node-postgres has no per-query cancel),
 * from a connection of its own so that a full pool cannot hold it up. The connection stays usable.
 */
async function cancelBackend(url: string, pid: number, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: "claimgraph-cancel", connectionTimeoutMillis: 2_000 });
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

/**
 * LISTEN needs a connection of its own, outside the pool. Notifications sent while it is down are
 * lost, so `onMessage` is also called after every reconnect, to stay on the safe side.
 */
async function listenWithReconnect(url: string, channel: string, onMessage: () => void, log: Logger, listeners: Set<pg.Client> & { closed?: boolean }): Promise<void> {
  const connect = async () => {
    if (listeners.closed) return;
    const client = new pg.Client({ connectionString: url, application_name: "claimgraph-listen" });
    client.on("notification", onMessage);
    client.on("error", (err) => log.warn({ err: { message: err.message } }, "notification connection lost"));
    client.on("end", () => {
      if (listeners.delete(client)) setTimeout(retry, 1_000).unref(); // not closed on purpose
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    listeners.add(client);
    if (listeners.closed) await client.end();
  };
  const retry = () =>
    connect().then(onMessage, () => setTimeout(retry, 1_000).unref());
  await connect();
}
