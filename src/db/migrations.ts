import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { MIGRATIONS_DIR } from "../paths";
import type { SqlSession } from "./database";

// The advisory lock key Prisma Migrate itself takes, so our runner and `prisma migrate` exclude each other.
const PRISMA_MIGRATE_LOCK = 72707369;

// Byte-for-byte Prisma's own bookkeeping table, so `prisma migrate status` reads our history.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  readonly code = "MIGRATION_FAILED";
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function appliedMigrations(session: SqlSession): Promise<AppliedRow[]> {
  const [{ exists }] = await session.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`,
  );
  if (!exists) return [];
  return session.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
}

/** Names of committed migrations the database has not finished applying. */
export async function pendingMigrations(session: SqlSession, migrations = readMigrations()): Promise<string[]> {
  const done = new Set((await appliedMigrations(session)).filter((m) => m.finished_at).map((m) => m.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}

/**
 * One migration and its `_prisma_migrations` row commit together: a process killed at any point
 * leaves either both or neither, so the next run just proceeds. A migration that fails is rolled
 * back and left pending (nothing recorded), with the database's reason.
 */
async function applyOne(session: SqlSession, migration: Migration) {
  const id = randomUUID();
  await session.exec("BEGIN");
  try {
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
      [id, migration.checksum, migration.name],
    );
    await session.exec(migration.sql);
    await session.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await session.exec("COMMIT");
  } catch (err) {
    await session.exec("ROLLBACK").catch(() => undefined);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back (nothing applied): ${(err as Error).message}`);
  }
}

/**
 * Applies pending migrations in order, each in its own transaction, recording them exactly as
 * `prisma migrate deploy` does. Refuses to continue past a failed or edited migration.
 */
export async function applyMigrations(session: SqlSession, migrations = readMigrations()): Promise<string[]> {
  // The API's statement_timeout bounds requests, not schema changes: building an index over millions
  // of claims takes minutes, and another migrator waits that long for the lock. RESET (below) gives
  // the pooled connection its own timeout back.
  await session.exec("SET statement_timeout = 0");
  await session.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const applied = new Map((await appliedMigrations(session)).map((row) => [row.migration_name, row]));
    for (const row of applied.values()) {
      if (!row.finished_at) {
        throw new MigrationError(
          `migration ${row.migration_name} is recorded as started but never finished (by \`prisma migrate\` or an older claimgraph); ` +
            `check whether its changes are in the database, then mark it with \`npx prisma migrate resolve --applied|--rolled-back ${row.migration_name}\``,
        );
      }
    }
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(`migration ${migration.name} was modified after it was applied`);
        }
        continue;
      }
      await applyOne(session, migration);
      newlyApplied.push(migration.name);
    }
    return newlyApplied;
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
    await session.exec("RESET statement_timeout");
  }
}
