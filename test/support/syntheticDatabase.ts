import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeSyntheticSeed } from "../../bench/lib/syntheticSeed";
import { runCli } from "./cli";
import { createPostgresDatabase } from "./harness";

/**
 * A PostgreSQL database of its own holding 5,000 synthetic claims of 100 sources, migrated and imported
 * with the project's own CLIs (as an operator would): what the load tests run against.
 */
export async function syntheticDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = await createPostgresDatabase();
  const seedDir = mkdtempSync(path.join(tmpdir(), "claimgraph-synthetic-"));
  try {
    const env = { DATABASE_URL: database.url };
    writeSyntheticSeed(seedDir, { articles: 20, claimsPerArticle: 250, sources: 100 });
    expect((await runCli("src/db/cli.ts", [], env)).code).toBe(0);
    expect((await runCli("src/importer/cli.ts", ["--from", seedDir], env)).code).toBe(0);
    return database;
  } catch (err) {
    await database.drop();
    throw err;
  } finally {
    rmSync(seedDir, { recursive: true, force: true });
  }
}
