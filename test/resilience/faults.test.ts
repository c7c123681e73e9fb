import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { writeSyntheticSeed } from "../../bench/lib/syntheticSeed";
import { freePort, runCli, spawnCli, waitForReady } from "../support/cli";
import { createPostgresDatabase } from "../support/harness";
import { holdImportsBeforeCommit, killImportMidTransaction, waitForImportLock, waitForImportLockReleased } from "../support/importLock";

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/** Stops or starts the local PostgreSQL cluster the way its service scripts do. */
function postgres(action: "stop" | "start") {
  const version = readdirSync("/etc/postgresql")[0];
  execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", action, ...(action === "stop" ? ["-m", "fast"] : [])], { stdio: "ignore" });
}
const canRestart = existsSync("/etc/postgresql") && existsSync("/usr/bin/pg_ctlcluster");

/** A test-side connection that tolerates the server going away under it. */
function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  return client;
}

async function snapshot(client: pg.Client) {
  const tables = ["source", "source_alias", "event", "event_source", "article", "article_event", "claim", "claim_event", "verdict_change", "import_run"];
  const out: Record<string, unknown> = {};
  for (const table of tables) out[table] = (await client.query(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h, count(*)::int AS n FROM ${table} t`)).rows[0];
  return out;
}

describePg("faults on PostgreSQL", () => {
  let database: { url: string; drop: () => Promise<void> };
  let seedDir: string;
  let changedSeedDir: string;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    expect((await runCli("src/db/cli.ts", [], { DATABASE_URL: database.url })).code).toBe(0);
    const tmp = mkdtempSync(path.join(tmpdir(), "claimgraph-faults-"));
    seedDir = path.join(tmp, "base");
    changedSeedDir = path.join(tmp, "changed");
    writeSyntheticSeed(seedDir, { articles: 20, claimsPerArticle: 300, sources: 200 });
    writeSyntheticSeed(changedSeedDir, { articles: 20, claimsPerArticle: 300, sources: 200, variant: " (revised)" });
    expect((await runCli("src/importer/cli.ts", ["--from", seedDir], { DATABASE_URL: database.url })).code).toBe(0);
    client = connect(database.url);
    await client.connect();
  });
  afterAll(async () => {
    await client?.end().catch(() => undefined);
    await database?.drop();
    rmSync(path.dirname(seedDir ?? "/nonexistent"), { recursive: true, force: true });
  });

  test("a seed import SIGKILLed at 10 random points leaves the data exactly as before, with no lock held", async () => {
    const before = await snapshot(client);
    for (let i = 0; i < 10; i++) {
      const delay = Math.floor(Math.random() * 1500);
      const result = await killImportMidTransaction(client, { DATABASE_URL: database.url }, ["--from", changedSeedDir], delay);
      expect(result.signal).toBe("SIGKILL");
      await new Promise((r) => setTimeout(r, 100));
      expect(await snapshot(client)).toEqual(before);
      expect(await waitForImportLockReleased(client)).toBe(0);
    }
  });

  test("two imports at once: exactly one runs, the other exits 75 at once", async () => {
    // The first import is held inside its transaction, so it still holds the import lock when the
    // second starts, however fast the import itself has become.
    const release = await holdImportsBeforeCommit(client);
    const first = spawnCli("src/importer/cli.ts", ["--from", changedSeedDir], { DATABASE_URL: database.url });
    let second;
    try {
      await waitForImportLock(client);
      second = await runCli("src/importer/cli.ts", ["--from", changedSeedDir], { DATABASE_URL: database.url });
    } finally {
      await release();
    }
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(/already running/);
    const done = await first.done;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/wrote [1-9]\d* row\(s\)/);
  });

  (canRestart ? test : test.skip)(
    "PostgreSQL stopped and restarted under load: failures only during the outage, /ready 503 meanwhile, then 100% success without restarting the app",
    async () => {
      const port = await freePort();
      const app = spawnCli("src/main.ts", [], { DATABASE_URL: database.url, PORT: port, NODE_ENV: "production", LOG_LEVEL: "fatal", DB_CONNECT_TIMEOUT_MS: "1000", RESPONSE_CACHE_MB: "0" });
      const url = `http://127.0.0.1:${port}`;
      try {
        await waitForReady(app, url);
        const samples: { at: number; ok: boolean; body: string }[] = [];
        let running = true;
        const worker = async () => {
          while (running) {
            const at = Date.now();
            const res = await fetch(`${url}/graphql`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ query: `{ claims(filter: { actor: "Actor 5", status: [UNVERIFIED] }, first: 20) { totalCount nodes { text source { name } } } }` }),
            }).then(async (r) => ({ status: r.status, body: await r.text() }), (err: Error) => ({ status: 0, body: err.message }));
            samples.push({ at, ok: res.status === 200 && !res.body.includes('"errors"'), body: res.body });
          }
        };
        const workers = Array.from({ length: 8 }, worker);
        await new Promise((r) => setTimeout(r, 3_000));
        const outageStart = Date.now();
        let readyDuringOutage = 0;
        try {
          postgres("stop");
          await new Promise((r) => setTimeout(r, 2_000));
          readyDuringOutage = await fetch(`${url}/ready`).then((r) => r.status, () => 0);
        } finally {
          postgres("start");
        }
        const outageEnd = Date.now();
        await new Promise((r) => setTimeout(r, 8_000));
        running = false;
        await Promise.all(workers);

        const recoveredBy = outageEnd + 3_000;
        const before = samples.filter((s) => s.at < outageStart);
        const after = samples.filter((s) => s.at > recoveredBy);
        expect(before.length).toBeGreaterThan(50);
        expect(before.every((s) => s.ok)).toBe(true);
        expect(after.length).toBeGreaterThan(50);
        expect(after.filter((s) => !s.ok).map((s) => s.body.slice(0, 200))).toEqual([]);
        for (const failed of samples.filter((s) => !s.ok)) expect(failed.body).not.toMatch(/127\.0\.0\.1|prisma|ECONNREFUSED|terminating/i);
        expect(samples.some((s) => !s.ok && s.at >= outageStart && s.at <= outageEnd)).toBe(true);
        expect(readyDuringOutage).toBe(503);
        expect((await fetch(`${url}/ready`)).status).toBe(200);
      } finally {
        app.child.kill("SIGTERM");
        await app.done;
        await client.end().catch(() => undefined);
        client = connect(database.url);
        await client.connect();
      }
    },
  );
});
