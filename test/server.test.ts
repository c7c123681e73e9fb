import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config";
import { readMigrations } from "../src/db/migrations";
import { runCli, spawnCli } from "./support/cli";
import { createPostgresDatabase, databaseKinds, startServer, type TestServer } from "./support/harness";

describe("configuration", () => {
  test.each([
    [{ PORT: "eighty" }, /PORT: /],
    [{ PORT: "70000" }, /PORT: /],
    [{ DATABASE_URL: "mysql://x@y/z" }, /DATABASE_URL: must be a postgresql:\/\/ URL/],
    [{ DATABASE_URL: "not a url" }, /DATABASE_URL: must be a postgresql:\/\/ URL/],
    [{ DB_POOL_MAX: "0" }, /DB_POOL_MAX: /],
    [{ INTROSPECTION: "maybe" }, /INTROSPECTION: /],
  ])("%p is rejected with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  test("defaults: introspection and Sandbox on outside production, off in production unless asked", () => {
    expect(loadConfig({})).toMatchObject({ PORT: 4000, introspection: true, sandbox: true });
    expect(loadConfig({ NODE_ENV: "production" })).toMatchObject({ introspection: false, sandbox: false });
    expect(loadConfig({ NODE_ENV: "production", INTROSPECTION: "true", SANDBOX: "true" })).toMatchObject({ introspection: true, sandbox: true });
  });

  test("the server exits with one clear line on bad config and on an unreachable database", async () => {
    const bad = await runCli("src/main.ts", [], { PORT: "eighty" });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^claimgraph: CONFIG_INVALID: invalid configuration: PORT: /)]);
    const unreachable = await runCli("src/main.ts", [], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none", DB_CONNECT_TIMEOUT_MS: "1000" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^claimgraph: DATABASE_UNAVAILABLE: database unreachable: /)]);
  });
});

describe("the server process", () => {
  test("on a fresh embedded database it migrates, seeds, answers, and stops cleanly on SIGTERM", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "claimgraph-boot-"));
    const { child, done, waitFor } = spawnCli("src/main.ts", [], { PGLITE_DATA_DIR: path.join(dataDir, "db"), PORT: "0", LOG_LEVEL: "info" });
    try {
      // Waits on the server's own readiness line (a first start initialises PGlite and loads the seed).
      const [, port] = await waitFor(/"port":(\d+)/);
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ claims(filter: { actor: "Pentagon" }) { totalCount } }` }),
      }).then((r) => r.json());
      expect(answer).toEqual({ data: { claims: { totalCount: expect.any(Number) } } });
      expect((answer as any).data.claims.totalCount).toBeGreaterThan(0);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      child.kill("SIGTERM");
      const result = await done;
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/"msg":"stopped"/);
    } finally {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.each(databaseKinds())("HTTP endpoints on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { seed: false });
  });
  afterAll(() => server?.close());

  test("/health and /ready answer; unknown paths are 404", async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready" }]);
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
  });

  test("responses carry a request id, echoing a sane incoming one", async () => {
    const res = await fetch(`${server.url}/health`, { headers: { "x-request-id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    const generated = await fetch(`${server.url}/health`, { headers: { "x-request-id": "bad id!" } });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg("PostgreSQL deployment steps", () => {
  test("db:migrate applies the committed migrations and `prisma migrate status` agrees", async () => {
    const database = await createPostgresDatabase();
    try {
      const env = { DATABASE_URL: database.url };
      const before = await runCli("src/main.ts", [], env);
      expect(before.code).toBe(1);
      expect(before.stderr).toMatch(/MIGRATIONS_PENDING: .*run `npm run db:migrate` first/);
      const migrate = await runCli("src/db/cli.ts", [], env);
      expect(migrate.stdout).toContain(`applied ${readMigrations().length} migration(s)`);
      const again = await runCli("src/db/cli.ts", [], env);
      expect(again.stdout).toMatch(/no pending migrations/);
      const status = await runCli("node_modules/prisma/build/index.js", ["migrate", "status"], env);
      expect(status.stdout).toMatch(/Database schema is up to date!/);
    } finally {
      await database.drop();
    }
  });
});
