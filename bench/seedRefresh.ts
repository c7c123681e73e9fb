import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrations";
import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { createLogger } from "../src/logger";
import { writeSyntheticSeed } from "./lib/syntheticSeed";

/**
 * One seed-refresh measurement in a process of its own, so its peak RSS is the import's alone:
 * validate, first import, unchanged refresh. Prints one JSON line. Run by bench/run.ts.
 * usage: tsx bench/seedRefresh.ts <admin-url> <articles> <claims-per-article>
 */
async function main() {
  const [adminUrl, articles, perArticle] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
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
    writeSyntheticSeed(dir, { articles, claimsPerArticle: perArticle, sources: 500 });
    let t = Date.now();
    const seed = await loadSeed(dir);
    const validateSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    const first = await runImport(db.prisma, seed, { dryRun: false });
    const firstImportSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    const again = await runImport(db.prisma, await loadSeed(dir), { dryRun: false });
    const refreshSeconds = (Date.now() - t) / 1000;
    console.log(
      JSON.stringify({
        articles,
        claims: articles * perArticle,
        validateSeconds,
        firstImportSeconds,
        firstImportWritten: first.written,
        refreshSeconds,
        refreshWritten: again.written,
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
