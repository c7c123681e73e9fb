import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadConfig } from "../src/config";
import { openDatabase, type Database } from "../src/db/database";
import { applyMigrations } from "../src/db/migrations";
import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { createLogger } from "../src/logger";
import { writeSyntheticSeed, type SyntheticSeedOptions } from "./lib/syntheticSeed";

/**
 * One seed-refresh measurement in a process of its own, so its peak RSS is the import's alone:
 * validate, first import, unchanged refresh. Prints one JSON line. Run by bench/run.ts.
 * With a big article (its claim count as a fourth argument, the 20,000), one more refresh
 * changes the wording of 10% of that article's claims, which moves the quotes after each of them:
 * its time, rows written, and the longest an editor's verdict on one of its claims waited meanwhile
 * (a probe locking the article's last claim, as claimSetStatus does, every 20 ms).
 * With `--template <database>` (a bench database bench/generate.ts made, e.g. of 1M claims) the
 * import runs in a copy of that database instead of an empty one, its seed set's slugs prefixed so
 * they name rows of their own: the "at 1M claims".
 * usage: tsx bench/seedRefresh.ts <admin-url> <articles> <claims-per-article> [<big-article-claims>] [--template <database>]
 */
async function main() {
  const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { template: { type: "string" } } });
  const [adminUrl, articles, perArticle] = [positionals[0], Number(positionals[1]), Number(positionals[2])];
  const big = Number(positionals[3] ?? 0);
  const template = options.template;
  const shape = {
    articles: big ? articles + 1 : articles,
    claimsPerArticle: perArticle,
    sources: 500,
    claimsOf: (a: number) => (big && a === articles ? big : perArticle),
    prefix: template ? "refresh-" : "",
  };
  const dir = mkdtempSync(path.join(tmpdir(), "claimgraph-bench-seed-"));
  const name = `claimgraph_bench_seed_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const cloneSeconds = template ? await cloneDatabase(admin, template, name) : 0;
  if (!template) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase(loadConfig({ DATABASE_URL: url.href, DB_STATEMENT_TIMEOUT_MS: "600000" }), createLogger("silent"));
  const warnings: string[] = [];
  process.on("warning", (w) => warnings.push(w.message));
  try {
    if (!template) await db.withSession((session) => applyMigrations(session));
    const backgroundClaims = template ? await countClaims(url.href) : 0;
    writeSyntheticSeed(dir, shape);
    let t = Date.now();
    const seed = await loadSeed(dir);
    const validateSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    const first = await runImport(db.prisma, seed, { dryRun: false });
    const firstImportSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    const again = await runImport(db.prisma, await loadSeed(dir), { dryRun: false });
    const refreshSeconds = (Date.now() - t) / 1000;
    const changed = big ? await changedRefresh(db, url.href, dir, shape, articles) : {};
    console.log(
      JSON.stringify({
        articles,
        claims: articles * perArticle + big,
        ...(template ? { template, backgroundClaims, cloneSeconds } : {}),
        validateSeconds,
        firstImportSeconds,
        firstImportWritten: first.written,
        refreshSeconds,
        refreshWritten: again.written,
        ...changed,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        warnings,
      }),
    );
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A refresh changing every 10th claim of the big article, with a verdict probe running on that article meanwhile. */
async function changedRefresh(db: Database, url: string, dir: string, shape: SyntheticSeedOptions, big: number) {
  writeSyntheticSeed(dir, { ...shape, variant: " (revised)", changes: (a, c) => a === big && c % 10 === 0 });
  const seed = await loadSeed(dir);
  const probe = new pg.Client({ connectionString: url });
  probe.on("error", () => undefined); // the database is dropped when the bench fails
  await probe.connect();
  const key = `${shape.prefix ?? ""}article-${big}/claim-${shape.claimsOf!(big) - 1}`;
  const [{ id }] = (await probe.query<{ id: string }>(`SELECT id FROM claim WHERE key = $1`, [key])).rows;
  let running = true;
  let longestVerdictWaitMs = 0;
  let probes = 0;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      await probe.query("BEGIN");
      await probe.query("SELECT 1 FROM claim WHERE id = $1 FOR UPDATE", [id]);
      await probe.query("COMMIT");
      longestVerdictWaitMs = Math.max(longestVerdictWaitMs, performance.now() - started);
      probes++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const t = Date.now();
  const result = await runImport(db.prisma, seed, { dryRun: false });
  const changedRefreshSeconds = (Date.now() - t) / 1000;
  running = false;
  await probing;
  await probe.end();
  return { changedRefreshSeconds, changedRefreshWritten: result.written, claimsUpdated: result.byEntity.claim.updated, longestVerdictWaitMs: Math.round(longestVerdictWaitMs), probes };
}

/**
 * A copy of a generated bench database, file by file (much faster than WAL-logging 1M claims). The
 * copy needs the template to have no sessions: a bench server just stopped may still hold one, so
 * that refusal (55006) is retried for a while.
 */
async function cloneDatabase(admin: pg.Client, template: string, name: string): Promise<number> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
      return (Date.now() - started) / 1000;
    } catch (err) {
      if ((err as { code?: string }).code !== "55006" || attempt >= 30) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

async function countClaims(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM claim")).rows[0].n);
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
