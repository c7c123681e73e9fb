import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
 * usage: tsx bench/seedRefresh.ts <admin-url> <articles> <claims-per-article> [<big-article-claims>]
 */
async function main() {
  const [adminUrl, articles, perArticle] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  const big = Number(process.argv[5] ?? 0);
  const shape = { articles: big ? articles + 1 : articles, claimsPerArticle: perArticle, sources: 500, claimsOf: (a: number) => (big && a === articles ? big : perArticle) };
  const dir = mkdtempSync(path.join(tmpdir(), "claimgraph-bench-seed-"));
  const name = `claimgraph_bench_seed_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase(loadConfig({ DATABASE_URL: url.href, DB_STATEMENT_TIMEOUT_MS: "600000" }), createLogger("silent"));
  const warnings: string[] = [];
  process.on("warning", (w) => warnings.push(w.message));
  try {
    await db.withSession((session) => applyMigrations(session));
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
  const [{ id }] = (await probe.query<{ id: string }>(`SELECT id FROM claim WHERE key = $1`, [`article-${big}/claim-${shape.claimsOf!(big) - 1}`])).rows;
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
