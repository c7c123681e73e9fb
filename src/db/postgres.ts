import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { LRUCache } from "lru-cache";
import type { Prisma } from "../generated/prisma/client";
import type { Logger } from "../logger";
import { runQuery, type ReadQuery } from "./cancellableQuery";
import { PrimaryInRecoveryError, type Database, type DbConfig, type DbOptions, type SqlReader } from "./database";
import { databaseTrouble, mayBeDown } from "./errors";
import { Listener } from "./listener";
import { openPool } from "./pool";
import { createPrisma } from "./prismaClient";
import { ReadRouter, type PrimaryState } from "./readRouting";
import { UTC_TIMESTAMPS } from "./utcTimestamps";
import { WRITES_CHANNEL, announceWrite } from "./writes";

/**
 * The primary's current position, and who it is: its system identifier and the timeline it writes
 * (from the WAL file name of that position), against which a standby's are compared.
 */
const PRIMARY_STATE = `SELECT lsn::text AS lsn, (SELECT system_identifier::text FROM pg_control_system()) AS system,
  ('x' || substr(pg_walfile_name(lsn), 1, 8))::bit(32)::int AS timeline
  FROM pg_current_wal_insert_lsn() AS lsn`;

export async function openPostgres(url: string, config: DbConfig, log: Logger, options: DbOptions): Promise<Database> {
  // Behind a transaction pooler each statement may land on another server connection: named
  // statements collide there (42P05) and startup parameters are refused, so neither is used.
  const pooled = config.DB_POOLER === "transaction";
  const directUrl = config.DATABASE_DIRECT_URL ?? url;
  const pool = (connectionString: string, max: number, viaPooler: boolean) =>
    openPool({ connectionString, max, connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: viaPooler ? undefined : config.DB_STATEMENT_TIMEOUT_MS, log });
  const primaryPool = pool(url, config.DB_POOL_MAX, pooled);
  const sessions = config.DATABASE_DIRECT_URL ? pool(directUrl, 2, false) : primaryPool;
  const replicaPool = config.DATABASE_READ_URL ? pool(config.DATABASE_READ_URL, config.DB_POOL_MAX, pooled) : null;
  // Named statements are parsed and planned once per connection instead of on every call: for
  // the short, hot queries of this API that halves PostgreSQL's work (bench/README.md).
  const names = new LRUCache<string, string>({ max: 1_000 });
  const statementName = (sql: string) => {
    if (pooled) return undefined;
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `cg_${createHash("sha1").update(sql).digest("base64url")}`));
    return name;
  };
  const adapter = new PrismaPg(primaryPool, pooled ? {} : { statementNameGenerator: (query) => statementName(query.sql)! });
  const prisma = createPrisma(adapter, options, { maxWait: config.DB_CONNECT_TIMEOUT_MS, timeout: config.DB_STATEMENT_TIMEOUT_MS });
  const listener = new Listener(directUrl, log);
  // Position look-ups get a connection of their own on each side: queued behind a busy pool's
  // reads they would keep reads on the primary for as long as the queue is.
  const positions = replicaPool && { primary: pool(directUrl, 1, false), replica: pool(config.DATABASE_READ_URL!, 1, pooled) };
  const router = positions
    ? new ReadRouter(positions.replica, async () => (await positions.primary.query<PrimaryState>(PRIMARY_STATE)).rows[0], log)
    : null;
  const run = <T>(target: "primary" | "replica", query: ReadQuery, signal?: AbortSignal) =>
    target === "primary"
      ? runQuery<T>(primaryPool, url, query, signal, pooled, log)
      : runQuery<T>(replicaPool!, config.DATABASE_READ_URL!, query, signal, pooled, log);
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
        const rows = await run<T>("replica", query, signal);
        router.stats.replicaReads++;
        return rows;
      } catch (err) {
        // A standby also cancels reads that conflict with replay; the primary can always answer.
        // A statement timeout or a cancelled request is not retried (that would double it).
        if ((err as { code?: string }).code === "57014" || signal?.aborted) throw err;
        // A busy standby pool is not a failing standby: only this read moves to the primary.
        if (databaseTrouble(err) !== "OVERLOADED" || mayBeDown(err)) router.replicaFailed(err as Error);
      }
    }
    if (router) router.stats.primaryReads++;
    try {
      return await run<T>("primary", query, signal);
    } catch (err) {
      // The primary is down (a restart, a failover): the standby answers when that cannot lose a write.
      if (!router || !mayBeDown(err) || signal?.aborted || !(await router.useReplicaWhilePrimaryDown())) throw err;
      const rows = await run<T>("replica", query, signal);
      router.stats.replicaReads++;
      return rows;
    }
  };
  const db: Database = {
    kind: "postgres",
    prisma,
    read,
    withSession: async (fn) => {
      const client = await sessions.connect();
      // A checked-out connection has no listener of the pool's: a server going away between two of
      // fn's statements (a restart) would otherwise be an unhandled 'error' event, and crash the process.
      let lost: Error | undefined;
      const onError = (err: Error) => (lost = err);
      client.on("error", onError);
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
        });
      } finally {
        client.off("error", onError);
        client.release(lost);
      }
    },
    listen: (channel, handler) => listener.listen(channel, handler),
    announceWrite: async () => {
      const lsn = await announceWrite(prisma);
      router?.noteWrite(lsn);
    },
    replica: router && { status: () => router.status(), stats: router.stats },
    // With a standby, reads that find the primary's pool full may still be served there.
    saturated: () => primaryPool.saturated && (!replicaPool || replicaPool.saturated),
    close: async () => {
      await listener.close();
      await prisma.$disconnect();
      await Promise.all([...new Set([primaryPool, sessions, replicaPool, positions?.primary, positions?.replica])].map((p) => p?.end()));
    },
  };
  try {
    const [{ recovery }] = await db.withSession((session) => session.query<{ recovery: boolean }>("SELECT pg_is_in_recovery() AS recovery"));
    if (recovery) throw new PrimaryInRecoveryError();
    if (pooled) {
      const { rows } = await primaryPool.query<{ timeout: string }>("SELECT current_setting('statement_timeout') AS timeout");
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
