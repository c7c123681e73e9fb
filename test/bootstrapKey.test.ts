import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrations";
import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { createLogger } from "../src/logger";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { createServices } from "../src/app/services";
import { runCli, spawnCli } from "./support/cli";
import { createPostgresDatabase, databaseKinds, startServer } from "./support/harness";
import { liveClient } from "./support/live";

/** The server's URL, from its readiness log line (it listens on a port of its own choosing). */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const ready = /ready at http:\/\/localhost:(\d+)\/graphql/.exec(out);
      if (ready) resolve(`http://127.0.0.1:${ready[1]}`);
    });
    child.once("close", () => reject(new Error(`the server exited before it was ready: ${out}`)));
  });
}

async function gql(url: string, query: string, key?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as any;
}

describe.each(databaseKinds())("a key in one step with the server running, on %s", (kind) => {
  test("BOOTSTRAP_ADMIN_KEY is an admin key at once; it makes an editor key that changes a verdict; SIGTERM closes WebSockets and exits 0", async () => {
    const env: Record<string, string> = { PGLITE_DATA_DIR: "memory://" };
    let drop: () => Promise<void> = async () => undefined;
    if (kind === "postgres") {
      const database = await createPostgresDatabase();
      drop = database.drop;
      env.DATABASE_URL = database.url;
      // On PostgreSQL migrating and seeding are deploy steps of their own.
      const db = await openDatabase(loadConfig(env), createLogger("silent"));
      await db.withSession((s) => applyMigrations(s));
      await runImport(db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
      await db.close();
    }
    const admin = `cgk_${randomBytes(32).toString("base64url")}`;
    const { child, done } = spawnCli("src/main.ts", [], { ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", BOOTSTRAP_ADMIN_KEY: admin });
    try {
      const url = await readyUrl(child);
      const created = await gql(url, `mutation { apiKeyCreate(input: { name: "Desk", role: EDITOR }) { secret userErrors { code } } }`, admin);
      const editor = created.data.apiKeyCreate.secret;
      expect(editor).toMatch(/^cgk_/);
      const claimId = (await gql(url, `{ claims(first: 1) { nodes { id } } }`)).data.claims.nodes[0].id;
      const set = await gql(url, `mutation { claimSetStatus(input: { claimId: "${claimId}", status: IN_REVIEW }) { claim { status } userErrors { code } } }`, editor);
      expect(set.data.claimSetStatus).toEqual({ claim: { status: "IN_REVIEW" }, userErrors: [] });

      const live = liveClient(url);
      await live.connected;
      child.kill("SIGTERM");
      expect(await live.closed).toBe(1012);
      const result = await done;
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/bootstrap admin key ready/);
      expect(result.stdout).not.toContain(admin);
    } finally {
      child.kill("SIGKILL");
      await drop();
    }
  }, 120_000); // a first embedded start migrates and seeds before it listens
});

describe("the bootstrap key", () => {
  test("is idempotent and never resurrected once revoked", async () => {
    const server = await startServer("pglite", { seed: false });
    try {
      const keys = createServices(server.db).apiKeys;
      const secret = `cgk_${randomBytes(32).toString("base64url")}`;
      const first = await keys.ensure(secret, "bootstrap", "ADMIN");
      const again = await keys.ensure(secret, "bootstrap", "ADMIN");
      expect(again.id).toBe(first.id);
      expect((await keys.list()).filter((k) => k.name === "bootstrap")).toHaveLength(1);
      expect(await keys.authenticate(secret)).toMatchObject({ apiKey: { role: "ADMIN" } });
      await keys.revoke(first.id);
      expect((await keys.ensure(secret, "bootstrap", "ADMIN")).revokedAt).not.toBeNull();
      expect(await keys.authenticate(secret)).toEqual({ problem: "REVOKED" });
    } finally {
      await server.close();
    }
  });

  test("a malformed BOOTSTRAP_ADMIN_KEY stops the server with a clear line", async () => {
    const result = await runCli("src/main.ts", [], { BOOTSTRAP_ADMIN_KEY: "hunter2" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CONFIG_INVALID: .*BOOTSTRAP_ADMIN_KEY: must be a key as claimgraph makes them/);
  });
});
