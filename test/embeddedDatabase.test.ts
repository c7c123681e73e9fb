import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "./support/cli";

// Crashes during a first start and rebuilds are in test/resilience/embeddedCrash.test.ts (slow: each is a first start).
describe("embedded database directory", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "cg-dir-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("a directory that cannot be opened gets one line with its path and what to do, and is left alone", async () => {
    writeFileSync(path.join(dir, "PG_VERSION"), "not a version\n");
    mkdirSync(path.join(dir, "base"));
    writeFileSync(path.join(dir, "notes.txt"), "someone else's file\n");
    const run = await runCli("src/importer/cli.ts", ["--dry-run"], { PGLITE_DATA_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^claimgraph: DATABASE_UNAVAILABLE: cannot open the database: the embedded database in ${dir} cannot be opened \\(.+\\); restore it from a backup, or move it aside`)),
    ]);
    expect(run.stderr).not.toMatch(/undefined/);
    expect(readdirSync(dir).sort()).toEqual(["PG_VERSION", "base", "notes.txt"]);
  }, 60_000);
});
