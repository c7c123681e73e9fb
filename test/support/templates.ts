// Template databases: migrating (and seeding) a database is most of what booting a test server
// costs, so a run does it once per kind and every test file starts from a copy. jest's globalSetup
// (test/support/globalSetup.ts) builds them and publishes where they are in the environment, which
// the workers inherit; the harness falls back to migrating from scratch when they are absent (a
// config without the globalSetup, e.g. the resilience suite).
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/database";
import { applyMigrations } from "../../src/db/migrations";
import { runImport } from "../../src/importer/importer";
import { loadSeed } from "../../src/importer/loadSeed";
import { createLogger } from "../../src/logger";
import { DEFAULT_SEED_DIR, PROJECT_ROOT } from "../../src/paths";

export type TemplateKind = "migrated" | "seeded";

/** Environment variables the globalSetup publishes: a PGlite image file, or a PostgreSQL database name. */
export const templateEnv = (db: "PGLITE" | "POSTGRES", kind: TemplateKind) => `CLAIMGRAPH_TEST_${db}_${kind.toUpperCase()}`;

/**
 * What a template's content depends on: the migrations, the seed files, and all of src/ (the
 * importer and everything it calls decide what a seeded database holds). Any change makes a new
 * key, so a cached image is never stale.
 */
export function templateDigest(): string {
  const hash = createHash("sha256");
  for (const dir of ["prisma/migrations", "seed", "src"]) {
    const root = path.join(PROJECT_ROOT, dir);
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => path.join(f.parentPath, f.name))
      .sort();
    for (const file of files) hash.update(path.relative(PROJECT_ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * PGlite images live under node_modules/.cache (ignored by git, dropped by `npm ci`), one file per
 * digest and kind; a missing one is built and written atomically (a concurrent run in the same
 * worktree may be writing the same file).
 */
export async function pgliteImage(kind: TemplateKind, digest: string): Promise<string> {
  const dir = path.join(PROJECT_ROOT, "node_modules", ".cache", "claimgraph-test-templates");
  const file = path.join(dir, `${digest}-${kind}.tar`);
  if (statSync(file, { throwIfNoEntry: false })?.isFile()) {
    utimesSync(file, new Date(), new Date()); // in use: keeps it from being pruned
    return file;
  }
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { btree_gin } = await import("@electric-sql/pglite/contrib/btree_gin");
  const pglite = await PGlite.create("memory://", { extensions: { btree_gin } });
  try {
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const { PrismaClient } = await import("../../src/generated/prisma/client");
    await applyMigrations({
      exec: async (sql) => void (await pglite.exec(sql)),
      query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    });
    if (kind === "seeded") {
      const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
      await runImport(prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
      await prisma.$disconnect();
    }
    const image = await pglite.dumpDataDir("none");
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(partial, Buffer.from(await image.arrayBuffer()));
    renameSync(partial, file);
    pruneImages(dir, file);
    return file;
  } finally {
    await pglite.close();
  }
}

/** Images of other digests (older sources) stop being used; drop those not touched for an hour (a run may still read one). */
function pruneImages(dir: string, keep: string) {
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (file !== keep && Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 3_600_000) rmSync(file, { force: true });
  }
}

const adminUrl = () => new URL(process.env.TEST_DATABASE_URL!);

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl().href });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL database on the TEST_DATABASE_URL server, migrated (and seeded), for this run only. */
export async function postgresTemplate(kind: TemplateKind, digest: string): Promise<string> {
  const name = `claimgraph_tpl_${digest}_${kind}_${randomBytes(3).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = adminUrl();
  url.pathname = `/${name}`;
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: url.href });
  const db = await openDatabase(config, createLogger("silent"));
  try {
    await db.withSession((session) => applyMigrations(session));
    if (kind === "seeded") await runImport(db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
  } finally {
    await db.close();
  }
  // Copies refuse while anyone is connected to the template: nobody may use it from here on.
  await admin((c) => c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
  return name;
}

export async function dropPostgresTemplate(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * `CREATE DATABASE … TEMPLATE` fails while a connection to the template is still closing (the
 * builder's pool ends asynchronously on the server side): retry that one error briefly.
 */
export async function copyPostgresTemplate(client: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "55006" || attempt >= 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
