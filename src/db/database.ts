import type { Config } from "../config";
import type { PrismaClient, Prisma } from "../generated/prisma/client";
import type { Logger } from "../logger";
import type { ListenHandler } from "./listener";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";
import type { ReplicaStatus, RoutingStats } from "./readRouting";

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
  /**
   * Whether a request arriving now would find no connection within DB_CONNECT_TIMEOUT_MS (every
   * one busy, the queue full): the HTTP layer refuses it with 503 OVERLOADED before running it.
   */
  saturated(): boolean;
  close(): Promise<void>;
}

export type DbConfig = Pick<
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
    : openPglite(config, log, options);
}
