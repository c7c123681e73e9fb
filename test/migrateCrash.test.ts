import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { readMigrations } from "../src/db/migrations";
import { PROJECT_ROOT } from "../src/paths";
import { runCli, spawnCli } from "./support/cli";
import { createPostgresDatabase } from "./support/harness";

// Prisma Migrate's advisory lock, which our migrator takes too: held means it is applying.
const MIGRATE_LOCK = 72707369;
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const migrateLockHeld = (url: string) =>
  withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
       WHERE l.locktype = 'advisory' AND l.objid = $1 AND d.datname = current_database()`,
      [MIGRATE_LOCK],
    );
    return rows[0].n > 0;
  });

/** What a kill left: the bookkeeping rows and whether the schema's tables exist. */
const inspect = (url: string) =>
  withClient(url, async (c) => {
    const { rows: [{ booked, schema }] } = await c.query(
      `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS booked, to_regclass('claim') IS NOT NULL AS schema`,
    );
    const rows = booked ? (await c.query(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`)).rows : [];
    return { schema: schema as boolean, rows };
  });

describePg("db:migrate killed at random points (PostgreSQL)", () => {
  const migrations = readMigrations();

  test("each kill leaves a migration applied and recorded, or nothing; the next run completes and prisma agrees", async () => {
    let db = await createPostgresDatabase();
    try {
      const outcomes = { applied: 0, nothing: 0 };
      for (let kill = 0; kill < 10; kill++) {
        const { child, done } = spawnCli("src/db/cli.ts", [], { DATABASE_URL: db.url });
        let exited = false;
        void done.then(() => (exited = true));
        while (!exited && !(await migrateLockHeld(db.url))) await new Promise((r) => setImmediate(r));
        // Somewhere inside the migration's transaction, or just after its commit.
        await new Promise((r) => setTimeout(r, Math.random() * 400));
        child.kill("SIGKILL");
        await done;
        // The killed client's backend gives up its transaction within client_connection_check_interval.
        while (await migrateLockHeld(db.url)) await new Promise((r) => setTimeout(r, 20));

        const state = await inspect(db.url);
        const finished = state.rows.filter((r) => r.finished_at !== null);
        expect({ kill, unfinished: state.rows.length - finished.length }).toEqual({ kill, unfinished: 0 });
        expect({ kill, schema: state.schema }).toEqual({ kill, schema: finished.length > 0 });
        if (finished.length === migrations.length) {
          outcomes.applied++;
          // Start over on a fresh database, so every kill lands in a first migration.
          await db.drop();
          db = await createPostgresDatabase();
        } else outcomes.nothing++;
      }
      expect(outcomes.applied + outcomes.nothing).toBe(10);

      const run = await runCli("src/db/cli.ts", [], { DATABASE_URL: db.url });
      expect(run).toMatchObject({ code: 0 });
      const { rows, schema } = await inspect(db.url);
      expect(schema).toBe(true);
      expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.rolled_back_at, r.logs, r.finished_at instanceof Date])).toEqual(
        migrations.map((m) => [m.name, m.checksum, 1, null, null, true]),
      );
      const status = await promisify(execFile)("npx", ["prisma", "migrate", "status"], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
      });
      expect(status.stdout).toContain("Database schema is up to date!");
    } finally {
      await db.drop();
    }
  }, 180_000);
});
