import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { loadConfig, type Config } from "../../src/config";
import { openDatabase, type Database } from "../../src/db/database";
import { applyMigrations } from "../../src/db/migrations";
import { createApp } from "../../src/http/app";
import type { CostBudget } from "../../src/graphql/admission";
import { runImport } from "../../src/importer/importer";
import { loadSeed } from "../../src/importer/loadSeed";
import { attachLive, type Live } from "../../src/http/live";
import { createLogger, type Logger } from "../../src/logger";
import { DEFAULT_SEED_DIR } from "../../src/paths";
import { createServices } from "../../src/app/services";
import { copyPostgresTemplate, templateEnv, type TemplateKind } from "./templates";

export type DatabaseKind = "pglite" | "postgres";

/** The embedded database always; PostgreSQL too when TEST_DATABASE_URL names a server to create databases on. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * A fresh PostgreSQL database on the TEST_DATABASE_URL server, dropped by `drop()`: empty, or a
 * copy of a template database (`CREATE DATABASE … TEMPLATE`, a file copy on the server).
 */
export async function createPostgresDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new URL(process.env.TEST_DATABASE_URL!);
  const name = `claimgraph_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    if (template) await copyPostgresTemplate(client, name, template);
    else await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin.href });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServer {
  kind: DatabaseKind;
  url: string;
  config: Config;
  db: Database;
  /** Subscriptions over WebSocket at `${url}/graphql` (ws://). */
  live: Live;
  /** The process's budget of query cost in flight. */
  budget: CostBudget;
  /** SQL statements Prisma sent since the last reset. */
  queries: string[];
  /** Admin URL of the test's own PostgreSQL database (postgres only). */
  databaseUrl?: string;
  gql(query: string, variables?: Record<string, unknown>, key?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface StartOptions {
  seed?: boolean;
  env?: Record<string, string>;
  /** The server's logger (default: one at LOG_LEVEL, silent), for a test that checks what is logged. */
  log?: Logger;
}

/**
 * This run's template for a database kind (built once by test/support/globalSetup.ts), or
 * undefined when jest ran without that globalSetup: then each server migrates from scratch.
 */
function template(kind: DatabaseKind, content: TemplateKind): { pgliteImage?: Blob; postgres?: string } {
  const where = process.env[templateEnv(kind === "pglite" ? "PGLITE" : "POSTGRES", content)];
  if (!where) return {};
  return kind === "pglite" ? { pgliteImage: new Blob([readFileSync(where)]) } : { postgres: where };
}

/** Boots the real HTTP server on a fresh database (migrated, optionally seeded) on a free port. */
export async function startServer(kind: DatabaseKind, options: StartOptions = {}): Promise<TestServer> {
  const seed = options.seed !== false;
  // A copy of the run's template when the server uses an in-memory or fresh database; a test that
  // names its own data directory or database gets exactly that, migrated here.
  const copy = options.env?.PGLITE_DATA_DIR || options.env?.DATABASE_URL ? {} : template(kind, seed ? "seeded" : "migrated");
  const pgDb = kind === "postgres" ? await createPostgresDatabase(copy.postgres) : null;
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    PGLITE_DATA_DIR: "memory://",
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...options.env,
  });
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const queries: string[] = [];
  // The change log's timed pruning (a maintenance statement, not a request's) would make counts flaky.
  const onQuery = (sql: string) => void (sql.includes("claimgraph_prune_claim_changes") || queries.push(sql));
  const db = await openDatabase(config, log, { onQuery, pgliteImage: copy.pgliteImage });
  const copied = kind === "pglite" ? copy.pgliteImage : copy.postgres;
  // On a copy this finds every migration applied (checksums included) and does nothing.
  await db.withSession((session) => applyMigrations(session));
  if (seed && !copied) await runImport(db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
  const { server, apollo, budget } = await createApp(config, db, log);
  const live = await attachLive(server, db, config, log);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  queries.length = 0;
  return {
    kind,
    url,
    config,
    db,
    live,
    budget,
    queries,
    databaseUrl: pgDb?.url,
    async gql(query, variables, key) {
      const res = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    async close() {
      await live.close(0);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
      await db.close();
      await pgDb?.drop();
    },
  };
}

/**
 * The statements a request sent, out of what the server sent meanwhile: the live feed reads the claim
 * change log whenever a NOTIFY of an earlier write arrives, which can be during the request.
 */
export function requestStatements(queries: readonly string[]): string[] {
  return queries.filter((sql) => !sql.includes("claim_change"));
}

/** Creates an API key directly through the service layer (as the `keys` CLI does). */
export async function createKey(server: TestServer, role: "VIEWER" | "EDITOR" | "ADMIN", name = `${role.toLowerCase()} test key`) {
  const { secret } = await createServices(server.db).apiKeys.create({ name, role });
  return secret;
}
