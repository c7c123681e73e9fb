import type http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import type { ApolloServer } from "@apollo/server";
import { openReadyDatabase } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { openDatabase, type Database } from "../src/db/database";
import { applyMigrations } from "../src/db/migrations";
import type { Context } from "../src/graphql/context";
import { createApp } from "../src/http/app";
import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { createLogger } from "../src/logger";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { idOf } from "../src/graphql/globalId";
import { createServices } from "../src/app/services";
import { runCli } from "./support/cli";
import { createScaleOutSet, scaleOutUnavailable, type ScaleOutSet } from "../scripts/scaleOutSet";
import { copySeed } from "./support/seedFiles";

// Primary + hot standby + PgBouncer made for this file by scripts/pg-scaleout.sh (about 30 s).
const unavailable = scaleOutUnavailable();
const describeScaleOut = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`test/scaleout.test.ts skipped: ${unavailable}`);

interface Server {
  url: string;
  db: Database;
  close(): Promise<void>;
}

const log = createLogger("silent");

/** The real HTTP server in this process, booted as main.ts boots it (startup checks included). */
async function boot(env: Record<string, string>): Promise<Server> {
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PORT: "0", ...env });
  const db = await openReadyDatabase(config, log);
  const { server, apollo }: { server: http.Server; apollo: ApolloServer<Context> } = await createApp(config, db, log);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    db,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
      await db.close();
    },
  };
}

async function post(server: Server, query: string, variables?: Record<string, unknown>, key?: string) {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, cache: res.headers.get("x-cache"), body: (await res.json()) as any };
}

async function sql<T = any>(url: string, text: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const caughtUp = (server: Server) => async () => (await server.db.replica!.status()).caughtUp;

const CLAIM = `query($id: ID!) { node(id: $id) { ... on Claim { id status history { toStatus rationale } } } }`;
const SET_STATUS = `mutation($input: ClaimSetStatusInput!) {
  claimSetStatus(input: $input) { claim { status history { toStatus rationale } } userErrors { code message } }
}`;
const CLAIMS_OF = `query($actor: String!) { claims(filter: { actor: $actor }, first: 5) { nodes { id status source { role } } } }`;

describeScaleOut("scale-out: primary + hot standby + PgBouncer (transaction mode)", () => {
  let set: ScaleOutSet;
  /** Direct to the primary, reads on the standby. */
  let a: Server;
  /** Everything through PgBouncer (reads on the standby through it); LISTEN on the primary directly. */
  let b: Server;
  let editor: string;
  let claimIds: string[];

  beforeAll(async () => {
    set = await createScaleOutSet();
    const setup = await openDatabase(loadConfig({ DATABASE_URL: set.primary }), log);
    try {
      await setup.withSession((session) => applyMigrations(session));
      await runImport(setup.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
      editor = (await createServices(setup).apiKeys.create({ name: "Scale-out desk", role: "EDITOR" })).secret;
    } finally {
      await setup.close();
    }
    a = await boot({ DATABASE_URL: set.primary, DATABASE_READ_URL: set.standby });
    b = await boot({ DATABASE_URL: set.pooledPrimary, DATABASE_READ_URL: set.pooledStandby, DATABASE_DIRECT_URL: set.primary, DB_POOLER: "transaction", DB_POOL_MAX: "20" });
    claimIds = (await post(b, `{ claims(first: 50) { nodes { id } } }`)).body.data.claims.nodes.map((n: any) => n.id);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()].map((p) => p?.catch(() => undefined)));
    await set?.remove();
  }, 60_000);

  afterEach(async () => {
    // (Not once the last test has promoted the standby.)
    if (set) await sql(set.adminStandby, "SELECT pg_wal_replay_resume() WHERE pg_is_in_recovery()");
  });

  async function pauseReplay() {
    await sql(set.adminStandby, "SELECT pg_wal_replay_pause()");
    await until("replay paused", async () => (await sql(set.adminStandby, "SELECT pg_get_wal_replay_pause_state() AS s"))[0].s === "paused");
  }

  test("a verdict changed through A during paused replay: A's answer has its history entry, B answers the new status, and never the old one after resume", async () => {
    const id = claimIds[0];
    await until("the standby caught up", caughtUp(b));
    const before = await post(b, CLAIM, { id });
    expect((await post(b, CLAIM, { id })).cache).toBe("HIT");
    const readsBefore = { ...b.db.replica!.stats };
    expect(readsBefore.replicaReads).toBeGreaterThan(0); // B really reads from the standby

    await pauseReplay();
    const next = before.body.data.node.status === "MISLEADING" ? "MOSTLY_FALSE" : "MISLEADING";
    const rationale = `scale-out ${Date.now()}`;
    const changed = await post(a, SET_STATUS, { input: { claimId: id, status: next, rationale } }, editor);
    expect(changed.body.data.claimSetStatus.userErrors).toEqual([]);
    expect(changed.body.data.claimSetStatus.claim.status).toBe(next);
    expect(changed.body.data.claimSetStatus.claim.history[0]).toEqual({ toStatus: next, rationale });

    // The standby really is behind: read there, the old status would come back.
    const [stale] = await sql(set.adminStandby, "SELECT status::text AS status FROM claim WHERE id = $1", [idOf("Claim", id)]);
    expect(stale.status).toBe(before.body.data.node.status);

    for (let i = 0; i < 5; i++) {
      const read = await post(b, CLAIM, { id }, editor);
      expect(read.body.data.node.status).toBe(next);
      expect(read.body.data.node.history[0]).toEqual({ toStatus: next, rationale });
      expect((await post(a, CLAIM, { id })).body.data.node.status).toBe(next);
    }
    expect(b.db.replica!.stats.primaryReads).toBeGreaterThan(readsBefore.primaryReads);

    await sql(set.adminStandby, "SELECT pg_wal_replay_resume()");
    await until("the standby caught up", caughtUp(b));
    const replicaReads = b.db.replica!.stats.replicaReads;
    for (let i = 0; i < 20; i++) {
      expect((await post(b, CLAIM, { id })).body.data.node.status).toBe(next);
      expect((await post(b, `{ claims(first: 50) { nodes { id status } } }`)).body.data.claims.nodes.find((n: any) => n.id === id).status).toBe(next);
    }
    expect(b.db.replica!.stats.replicaReads).toBeGreaterThan(replicaReads); // back on the standby
  });

  test("killing the listen connections: nothing stale is served, and a write made meanwhile outside the API is seen", async () => {
    const id = claimIds[1];
    const before = (await post(b, CLAIM, { id })).body.data.node.status;
    expect((await post(b, CLAIM, { id })).cache).toBe("HIT");
    const next = before === "IN_REVIEW" ? "UNVERIFIED" : "IN_REVIEW";
    const killed = await sql(set.adminPrimary, "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'claimgraph-listen'");
    expect(killed.length).toBe(2);
    // A write from outside the API (no announcement; its trigger notifies whoever listens right now).
    await sql(set.adminPrimary, `UPDATE claim SET status = $1::text::"VerificationStatus" WHERE id = $2`, [next, idOf("Claim", id)]);
    const started = Date.now();
    let last = "";
    while (Date.now() - started < 1_500) {
      const read = await post(b, CLAIM, { id });
      if (read.cache === "HIT") expect(read.body.data.node.status).toBe(next);
      last = read.body.data.node.status;
    }
    expect(last).toBe(next);
    expect((await post(a, CLAIM, { id })).body.data.node.status).toBe(next);
    await until("both listeners back", async () => (await sql(set.adminPrimary, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'claimgraph-listen'"))[0].n === 2);
  });

  test("a seed import during paused replay is not cached stale", async () => {
    const seed = copySeed();
    try {
      const role = `President (scale-out ${Date.now()})`;
      seed.edit("sources.yaml", (doc) => (doc.sources.find((s: any) => s.slug === "donald-trump").role = role));
      await until("the standby caught up", caughtUp(b));
      expect((await post(b, CLAIMS_OF, { actor: "Donald Trump" })).body.data.claims.nodes[0].source.role).not.toBe(role);
      await pauseReplay();
      const importer = await openDatabase(loadConfig({ DATABASE_URL: set.primary }), log);
      try {
        const result = await runImport(importer.prisma, await loadSeed(seed.dir), { dryRun: false });
        expect(result.written).toBeGreaterThan(0);
      } finally {
        await importer.close();
      }
      await until("B heard the import", async () => (await post(b, CLAIMS_OF, { actor: "Donald Trump" })).body.data.claims.nodes[0].source.role === role);
      for (const server of [b, b, a, a]) expect((await post(server, CLAIMS_OF, { actor: "Donald Trump" })).body.data.claims.nodes[0].source.role).toBe(role);
      await sql(set.adminStandby, "SELECT pg_wal_replay_resume()");
      await until("the standby caught up", caughtUp(b));
      expect((await post(b, CLAIMS_OF, { actor: "Donald Trump" })).body.data.claims.nodes[0].source.role).toBe(role);
    } finally {
      seed.remove();
    }
  });

  test("600 concurrent reads through PgBouncer in transaction mode: 0 errors; the role carries the session settings", async () => {
    // fetch opens a connection per request in flight: 600 from one address, past HTTP_MAX_CONNECTIONS_PER_ADDRESS.
    const c = await boot({ DATABASE_URL: set.pooledPrimary, DATABASE_READ_URL: set.pooledStandby, DATABASE_DIRECT_URL: set.primary, DB_POOLER: "transaction", DB_POOL_MAX: "40", RESPONSE_CACHE_MB: "0", HTTP_MAX_CONNECTIONS_PER_ADDRESS: "0" });
    try {
      const queries = [
        (i: number) => post(c, CLAIM, { id: claimIds[i % claimIds.length] }),
        (i: number) => post(c, `query($n: Int!) { claims(first: $n) { nodes { id text source { name } article { title } } } }`, { n: 1 + (i % 20) }),
        (i: number) => post(c, CLAIMS_OF, { actor: ["Donald Trump", "Pentagon", "State Department"][i % 3] }),
        () => post(c, `{ claimStats { total byStatus { status count } } }`),
      ];
      const answers = await Promise.all(Array.from({ length: 600 }, (_, i) => queries[i % queries.length](i)));
      const failed = answers.filter((r) => r.status !== 200 || r.body.errors);
      expect(failed.map((r) => r.body.errors?.[0]?.message)).toEqual([]);
      const [settings] = await sql(set.pooledPrimary, "SELECT current_setting('statement_timeout') AS timeout, current_setting('client_connection_check_interval') AS check");
      expect(settings).toEqual({ timeout: "10s", check: "1s" });
    } finally {
      await c.close();
    }
  });

  test("a server given the standby as its primary refuses to start: PRIMARY_IN_RECOVERY", async () => {
    const result = await runCli("src/main.ts", [], { DATABASE_URL: set.standby, PORT: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^claimgraph: PRIMARY_IN_RECOVERY: /m);
  });

  test("a primary restart: reads are 200 (the standby answers while the primary is down) or 503 DATABASE_UNAVAILABLE with Retry-After, never INTERNAL_SERVER_ERROR; writes are 503 until it is back", async () => {
    const c = await boot({ DATABASE_URL: set.primary, DATABASE_READ_URL: set.standby, RESPONSE_CACHE_MB: "0", NODE_ENV: "production" });
    try {
      await until("the standby caught up", caughtUp(c));
      const answers: { status: number; codes: string[]; retryAfter: string | null; write: boolean }[] = [];
      const record = async (write: boolean, i: number) => {
        const res = await fetch(`${c.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(write ? { authorization: `Bearer ${editor}` } : {}) },
          body: JSON.stringify(
            write
              ? { query: SET_STATUS, variables: { input: { claimId: claimIds[2], status: i % 2 ? "IN_REVIEW" : "UNVERIFIED" } } }
              : { query: `query($id: ID!) { node(id: $id) { ... on Claim { id status } } claims(first: 5) { nodes { id status } } }`, variables: { id: claimIds[i % claimIds.length] } },
          ),
        });
        const body = (await res.json()) as { errors?: { extensions: { code: string } }[] };
        answers.push({ status: res.status, codes: (body.errors ?? []).map((e) => e.extensions.code), retryAfter: res.headers.get("retry-after"), write });
      };
      let down = true;
      const traffic = (async () => {
        for (let i = 0; down; i++) await Promise.all([record(false, i), record(false, i + 1), i % 5 === 0 ? record(true, i) : undefined]);
      })();
      const replicaReads = c.db.replica!.stats.replicaReads;
      await set.ctl("primary", "stop");
      const whileDown = answers.length;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const ready = await fetch(`${c.url}/ready`);
      expect({ status: ready.status, reason: ((await ready.json()) as { reason: string }).reason }).toEqual({ status: 503, reason: "DATABASE_UNAVAILABLE" });
      const downAnswers = answers.slice(whileDown);
      await set.ctl("primary", "start");
      await until("writes answer again", async () => (await post(c, SET_STATUS, { input: { claimId: claimIds[2], status: "IN_REVIEW" } }, editor)).status === 200, 30_000);
      down = false;
      await traffic;

      for (const a of answers) {
        if (a.status === 200) expect(a.codes).toEqual([]);
        else {
          expect(a.status).toBe(503);
          for (const code of a.codes) expect(["DATABASE_UNAVAILABLE", "OVERLOADED"]).toContain(code);
          expect(Number(a.retryAfter)).toBeGreaterThan(0);
        }
      }
      // While the primary was down, the standby answered reads, and writes were refused with 503.
      expect(downAnswers.filter((a) => !a.write && a.status === 200).length).toBeGreaterThan(0);
      expect(c.db.replica!.stats.replicaReads).toBeGreaterThan(replicaReads);
      expect(downAnswers.filter((a) => a.write).every((a) => a.status === 503)).toBe(true);
      // The traffic loop's last round may have set the verdict after "writes answer again" did: write
      // once more now that no other writer is left, and read it back.
      expect((await post(c, SET_STATUS, { input: { claimId: claimIds[2], status: "IN_REVIEW" } }, editor)).status).toBe(200);
      expect((await post(c, CLAIM, { id: claimIds[2] })).body.data.node.status).toBe("IN_REVIEW");
    } finally {
      await c.close();
    }
  }, 90_000);

  // Last: the standby stops being one.
  test("a promoted standby is taken out of rotation: reads go to the primary (a write is read back), /ready says why", async () => {
    const id = claimIds[3];
    await until("the standby caught up", caughtUp(a));
    await post(a, CLAIM, { id });
    expect(a.db.replica!.stats.replicaReads).toBeGreaterThan(0);
    await sql(set.adminStandby, "SELECT pg_promote()");
    // The promoted node takes writes of its own: its WAL position runs past the old primary's, so
    // comparing positions alone would call it caught up with every write made on the primary.
    await sql(set.adminStandby, "CREATE TABLE failover_filler AS SELECT generate_series(1, 200000) AS n");
    for (let i = 0; i < 3; i++) {
      const status = ["MISLEADING", "MOSTLY_FALSE", "IN_REVIEW"][i];
      const changed = await post(a, SET_STATUS, { input: { claimId: id, status, rationale: "after the failover" } }, editor);
      expect(changed.body.data.claimSetStatus.claim.status).toBe(status);
      // Read back by another server that did not make the write, and by the writer.
      await until("B heard the write", async () => (await post(b, CLAIM, { id })).body.data.node.status === status);
      expect((await post(a, CLAIM, { id })).body.data.node.status).toBe(status);
    }
    const replicaReads = { a: a.db.replica!.stats.replicaReads, b: b.db.replica!.stats.replicaReads };
    for (let i = 0; i < 10; i++) await post(b, `{ claims(first: 50) { nodes { id status } } }`);
    expect(b.db.replica!.stats.replicaReads).toBe(replicaReads.b);
    for (const server of [a, b]) {
      const res = await fetch(`${server.url}/ready`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { replica: { available: boolean; rejected?: { reason: string } } };
      expect(body.replica).toMatchObject({ available: false, rejected: { reason: "NOT_IN_RECOVERY" } });
    }
  }, 60_000);
});
