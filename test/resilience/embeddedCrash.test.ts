import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadSeed } from "../../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../../src/paths";
import { runCli, spawnCli } from "../support/cli";

const serverEnv = (dataDir: string) => ({ PGLITE_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", RESPONSE_CACHE_MB: "0" });

/** Starts the server on an embedded database directory; `ready` resolves with its URL. */
function startServer(dataDir: string) {
  const { child, done, waitFor } = spawnCli("src/main.ts", [], serverEnv(dataDir));
  const ready = waitFor(/ready at http:\/\/localhost:(\d+)\//).then((m) => `http://127.0.0.1:${m[1]}`);
  return { child, done, ready };
}

async function claimCount(url: string): Promise<number> {
  const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ claims(first: 1) { totalCount } }" }) });
  return ((await res.json()) as any).data.claims.totalCount;
}

describe("embedded database: crashes during the first start and restarts", () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cg-crash-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test("a first start killed at random points always restarts (within a second of the kill) with the whole seed", async () => {
    const claims = (await loadSeed(DEFAULT_SEED_DIR)).articles.reduce((n, a) => n + a.claims.length, 0);
    // A full first start, to learn how long one takes; then killed once it is serving.
    const began = Date.now();
    const first = startServer(freshDir());
    await first.ready;
    const firstStart = Date.now() - began;
    const killPoints = [firstStart, ...Array.from({ length: 3 }, () => Math.random() * firstStart)];

    let kill = 0;
    for (const delay of killPoints) {
      const dir = kill === 0 ? dirs[0] : freshDir();
      const victim = kill === 0 ? first : startServer(dir);
      if (kill > 0) await Promise.race([victim.ready.catch(() => undefined), new Promise((r) => setTimeout(r, delay))]);
      victim.child.kill("SIGKILL");
      await victim.done;
      const restart = startServer(dir); // at once: the dead process's lock must not stand in the way
      const url = await restart.ready;
      expect({ kill, delay: Math.round(delay), claims: await claimCount(url) }).toEqual({ kill, delay: Math.round(delay), claims });
      restart.child.kill("SIGTERM");
      expect((await restart.done).code).toBe(0);
      kill++;
    }
  }, 300_000);

  test("a directory whose initialisation never finished (no PG_VERSION, no marker) is rebuilt", async () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, "base"));
    mkdirSync(path.join(dir, "global"));
    writeFileSync(path.join(dir, "postgresql.conf"), "");
    const run = await runCli("src/importer/cli.ts", ["--dry-run"], { PGLITE_DATA_DIR: dir, LOG_LEVEL: "warn" });
    expect(run.stdout).toMatch(/dry run: would write \d+ row/);
    expect(run.stdout + run.stderr).toMatch(/never finished initialising; creating it again/);
    expect(run.code).toBe(0);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(["PG_VERSION", "claimgraph.initialised"]));
  }, 120_000);
});
