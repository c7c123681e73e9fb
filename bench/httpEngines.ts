// PROTOTYPE measurement: node:http (src/http/app.ts) vs Fastify (src/http/fastifyApp.ts) on the core query.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { toGlobalId } from "../src/graphql/globalId";
import { generateDatabase } from "./generate";

const ROOT = path.join(__dirname, "..");
const admin = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const DURATION = Number(process.env.DURATION ?? 6);
const Q = `query($s: ID!, $st: [VerificationStatus!], $after: String) { claims(filter: { sourceId: $s, status: $st }, first: 20, after: $after) { edges { node { text saidAt source { name } article { title } } } pageInfo { hasNextPage endCursor } } }`;
type Engine = "node" | "fastify";
const PORT: Record<Engine, number> = { node: 5201, fastify: 5202 };

function start(engine: Engine, url: string): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, "dist/src/main.js")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: url, PORT: String(PORT[engine]), NODE_ENV: "production", LOG_LEVEL: "warn", DB_POOL_MAX: "10", RESPONSE_CACHE_MB: "0", HTTP_ENGINE: engine },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
async function waitUp(engine: Engine) {
  for (let i = 0; i < 200; i++) {
    if (await fetch(`http://127.0.0.1:${PORT[engine]}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${engine} did not start`);
}
const cpuTicks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(f[11]) + Number(f[12]);
};
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function main() {
  const name = "claimgraph_bench_100000";
  const dbUrl = admin.replace(/\/[^/]*$/, `/${name}`);
  const exists = await new pg.Client({ connectionString: dbUrl }).connect().then(() => true, () => false);
  const url = exists ? dbUrl : await generateDatabase(admin, name, { claims: 100_000, actors: 2000, articles: 5000, events: 200 }, console.log);
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const pairs = (await probe.query(`SELECT source_id AS "sourceId", status::text AS status FROM claim GROUP BY 1, 2 HAVING count(*) >= 20 ORDER BY md5(source_id::text || status::text) LIMIT 500`)).rows;
  await probe.end();
  const requests = pairs.map((p: { sourceId: string; status: string }) => ({ method: "POST" as const, headers: { "content-type": "application/json" }, body: JSON.stringify({ query: Q, variables: { s: toGlobalId("Source", p.sourceId), st: [p.status] } }) }));
  const rows: { round: number; engine: Engine; rps: number; p99: number; cpuMs: number; errors: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Engine[] = round % 2 ? ["fastify", "node"] : ["node", "fastify"];
    for (const engine of order) {
      const proc = start(engine, url);
      await waitUp(engine);
      const load = (duration: number) => new Promise<autocannon.Result>((res, rej) => autocannon({ url: `http://127.0.0.1:${PORT[engine]}/graphql`, connections: 32, duration, requests, verifyBody: (b) => !String(b).includes('"errors"') }, (e, r) => (e ? rej(e) : res(r))));
      await load(2);
      const before = cpuTicks(proc.pid!);
      const r = await load(DURATION);
      const cpuMs = ((cpuTicks(proc.pid!) - before) * 10) / r.requests.total;
      rows.push({ round, engine, rps: r.requests.average, p99: r.latency.p99, cpuMs, errors: r.errors + r.non2xx + (r as unknown as { mismatches?: number }).mismatches! });
      console.log(JSON.stringify(rows.at(-1)));
      const exited = new Promise((res) => proc.once("exit", res));
      proc.kill("SIGTERM");
      await exited;
    }
  }
  const by = (e: Engine, round: number) => rows.find((r) => r.engine === e && r.round === round)!;
  const rpsRatios = Array.from({ length: ROUNDS }, (_, i) => by("fastify", i).rps / by("node", i).rps);
  const cpuRatios = Array.from({ length: ROUNDS }, (_, i) => by("fastify", i).cpuMs / by("node", i).cpuMs);
  console.log("rps ratios fastify/node", rpsRatios.map((x) => x.toFixed(3)).join(" "), "median", median(rpsRatios).toFixed(3));
  console.log("cpu/request ratios fastify/node", cpuRatios.map((x) => x.toFixed(3)).join(" "), "median", median(cpuRatios).toFixed(3));
  for (const e of ["node", "fastify"] as Engine[]) {
    const mine = rows.filter((r) => r.engine === e);
    console.log(e, "median rps", median(mine.map((r) => r.rps)).toFixed(0), "p99", median(mine.map((r) => r.p99)), "cpu ms/req", median(mine.map((r) => r.cpuMs)).toFixed(3));
  }
}
void main().then(() => process.exit(0));
