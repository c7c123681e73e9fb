// `npm run bench:scaleout [-- --claims 100000 --rounds 3 --duration 8 --connections 32]`
// Read throughput of one server on the primary versus two servers reading from a hot standby
// (and two on the primary alone, to tell "a second process" from "a second database"), and what
// the replay-position check of read-your-writes costs. Makes its own primary + standby
// (scripts/pg-scaleout.sh, needs root and Debian's postgresql-common) and removes them. bench/README.md.
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { toGlobalId } from "../src/graphql/globalId";
import { createScaleOutSet, freePort, scaleOutUnavailable } from "../scripts/scaleOutSet";
import { generateDatabase } from "./generate";
import { CORE_PAGE } from "./lib/queries";

const ROOT = path.join(__dirname, "..");
const { values: args } = parseArgs({
  options: {
    claims: { type: "string", default: "100000" },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "8" },
    connections: { type: "string", default: "32" },
  },
});
const rounds = Number(args.rounds);
const duration = Number(args.duration);
const connections = Number(args.connections);
const log = (msg: string) => console.log(msg);

type Setup = "one-primary" | "two-primary" | "two-standby";
const SETUPS: Record<Setup, string> = {
  "one-primary": "1 server, reads on the primary",
  "two-primary": "2 servers, reads on the primary",
  "two-standby": "2 servers, reads on the standby (read-your-writes)",
};

function startServer(port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, "dist/src/main.js")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), NODE_ENV: "production", LOG_LEVEL: "warn", DB_POOL_MAX: "10", RESPONSE_CACHE_MB: "0", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function ready(port: number): Promise<any> {
  for (let i = 0; i < 240; i++) {
    const body = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => (r.ok ? r.json() : null), () => null);
    if (body) return body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server on port ${port} did not become ready`);
}

async function stop(procs: ChildProcess[]) {
  await Promise.all(
    procs.map((p) => {
      if (p.exitCode !== null) return undefined;
      const exited = new Promise((resolve) => p.once("exit", resolve));
      p.kill("SIGTERM");
      return exited;
    }),
  );
}

/** Load spread evenly over the given servers; returns total req/s, p99 (worst) and failures. */
async function load(ports: number[], bodies: string[], seconds: number) {
  const results = await Promise.all(
    ports.map(
      (port) =>
        new Promise<autocannon.Result>((resolve, reject) =>
          autocannon(
            {
              url: `http://127.0.0.1:${port}/graphql`,
              connections: Math.round(connections / ports.length),
              duration: seconds,
              requests: bodies.map((body) => ({ method: "POST" as const, headers: { "content-type": "application/json" }, body })),
              verifyBody: (b) => !String(b).includes('"errors"'),
            },
            (err, res) => (err ? reject(err) : resolve(res)),
          ),
        ),
    ),
  );
  return {
    rps: results.reduce((n, r) => n + r.requests.average, 0),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    failures: results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const unavailable = scaleOutUnavailable({ needsTestDatabase: false });
  if (unavailable) throw new Error(`cannot make a primary + standby here: ${unavailable}`);
  log("building claimgraph ...");
  execSync("npm run build", { cwd: ROOT, stdio: "ignore" });
  log("creating a primary, a hot standby and PgBouncer (scripts/pg-scaleout.sh) ...");
  const set = await createScaleOutSet();
  const procs: ChildProcess[] = [];
  try {
    const claims = Number(args.claims);
    log(`generating ${claims} claims on the primary ...`);
    const primary = await generateDatabase(set.adminPrimary, "claimgraph_bench", { claims, actors: 2000, articles: Math.max(1_000, claims / 20), events: 200 }, log);
    const standbyUrl = new URL(primary);
    standbyUrl.port = new URL(set.adminStandby).port;
    const standby = standbyUrl.href;
    const client = new pg.Client({ connectionString: primary });
    client.on("error", () => undefined); // the set is removed under it at the end
    await client.connect();
    const pairs = (
      await client.query(`SELECT source_id AS s, status::text AS st FROM claim GROUP BY 1, 2 HAVING count(*) >= 20 ORDER BY md5(source_id::text || status::text) LIMIT 500`)
    ).rows;
    const bodies = pairs.map((p) => JSON.stringify({ query: CORE_PAGE, variables: { s: toGlobalId("Source", p.s), st: [p.st] } }));

    const envs: Record<Setup, Record<string, string>[]> = {
      "one-primary": [{ DATABASE_URL: primary }],
      "two-primary": [{ DATABASE_URL: primary }, { DATABASE_URL: primary }],
      "two-standby": [
        { DATABASE_URL: primary, DATABASE_READ_URL: standby },
        { DATABASE_URL: primary, DATABASE_READ_URL: standby },
      ],
    };
    const setups = Object.keys(SETUPS) as Setup[];
    const samples: { setup: Setup; round: number; rps: number; p99: number; failures: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      // Interleaved, rotated each round, so machine drift hits every setup alike.
      for (const setup of [...setups.slice(round % 3), ...setups.slice(0, round % 3)]) {
        const ports = [await freePort(), await freePort()].slice(0, envs[setup].length);
        procs.push(...envs[setup].map((env, i) => startServer(ports[i], env)));
        await Promise.all(ports.map(ready));
        await load(ports, bodies, 2); // warm-up
        const result = await load(ports, bodies, duration);
        samples.push({ setup, round, ...result });
        log(`  round ${round + 1} ${setup}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.failures} failures`);
        await stop(procs.splice(0));
      }
    }

    // The replay-position check: its round trip, and how often it runs when writes keep coming.
    const standbyPool = new pg.Pool({ connectionString: standby, max: 1 });
    await standbyPool.query("SELECT 1");
    const checks = 2_000;
    let started = process.hrtime.bigint();
    for (let i = 0; i < checks; i++) await standbyPool.query(`SELECT pg_last_wal_replay_lsn()::text`);
    const checkUs = Number(process.hrtime.bigint() - started) / 1e3 / checks;
    started = process.hrtime.bigint();
    for (let i = 0; i < checks; i++) await standbyPool.query(`SELECT 1`);
    const roundTripUs = Number(process.hrtime.bigint() - started) / 1e3 / checks;
    await standbyPool.end();

    const writing: Record<string, { rps: number; checksPerRequest: number; primaryShare: number }> = {};
    for (const every of [0, 100, 10]) {
      const port = await freePort();
      procs.push(startServer(port, envs["two-standby"][0]));
      await ready(port);
      await load([port], bodies, 2);
      const before = (await ready(port)).replica;
      // Writes from outside the server (its trigger notifies, then the replica must be checked again).
      const writer = every ? setInterval(() => void client.query(`UPDATE article SET updated_at = updated_at WHERE id = (SELECT id FROM article LIMIT 1)`), every) : null;
      const result = await load([port], bodies, duration);
      if (writer) clearInterval(writer);
      const after = (await ready(port)).replica;
      const reads = after.replicaReads + after.primaryReads - before.replicaReads - before.primaryReads;
      writing[every ? `a write every ${every} ms` : "no writes"] = {
        rps: Math.round(result.rps),
        checksPerRequest: (after.positionChecks - before.positionChecks) / reads,
        primaryShare: (after.primaryReads - before.primaryReads) / reads,
      };
      log(`  1 server on the standby, ${every ? `a write every ${every} ms` : "no writes"}: ${JSON.stringify(writing[Object.keys(writing).at(-1)!])}`);
      await stop(procs.splice(0));
    }
    await client.end();

    const report = {
      date: new Date().toISOString(),
      claims,
      rounds,
      duration,
      connections,
      samples,
      medians: Object.fromEntries(setups.map((s) => [s, median(samples.filter((x) => x.setup === s).map((x) => x.rps))])),
      ratiosToOnePrimary: Object.fromEntries(
        setups.map((s) => [s, median(Array.from({ length: rounds }, (_, r) => samples.find((x) => x.setup === s && x.round === r)!.rps / samples.find((x) => x.setup === "one-primary" && x.round === r)!.rps))]),
      ),
      replayCheck: { checkUs, roundTripUs, underWrites: writing },
    };
    mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
    const file = path.join(ROOT, `bench/results/scaleout-${report.date.slice(0, 16).replace(/[-:]/g, "").replace("T", "T")}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2));
    log(JSON.stringify({ medians: report.medians, ratiosToOnePrimary: report.ratiosToOnePrimary, replayCheck: report.replayCheck }, null, 2));
    log(`written to ${path.relative(ROOT, file)}`);
  } finally {
    await stop(procs);
    await set.remove();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
