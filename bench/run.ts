// `npm run bench [-- --quick] [-- --sizes 100000,1000000 --rounds 3 --duration 10 --reuse --ops core-first,stats]`
// Starts claimgraph, PostGraphile 5 and a raw node:http + pg server on the same generated database,
// checks every server's answers against SQL, then measures the same operations with autocannon in
// interleaved rounds (A B C A B C ...) so machine drift hits all servers alike. See bench/README.md.
import { execFileSync, execSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { ORDERS, pageSql } from "../src/claim/sql";
import { generateDatabase } from "./generate";
import { OPS, pgCursors, pickParams, sameAnswer, truth, type Params, type ServerName } from "./lib/workload";

const ROOT = path.join(__dirname, "..");
const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    rounds: { type: "string" },
    duration: { type: "string" },
    connections: { type: "string", default: "32" },
    reuse: { type: "boolean", default: false },
    ops: { type: "string" },
    "skip-seed-refresh": { type: "boolean", default: false },
    // Databases are named <prefix>_<size>: a prefix of one's own keeps two benchmark runs apart.
    "db-prefix": { type: "string", default: "claimgraph_bench" },
    // Another build's entry point (a copy of dist/ from before a change), measured in place of dist/src/main.js.
    "claimgraph-main": { type: "string" },
    // First of the four servers' ports: two runs on one machine need different ones.
    "port-base": { type: "string", default: "5101" },
    "admin-url": { type: "string", default: process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
  },
});
const quick = args.quick!;
const sizes = (args.sizes ?? (quick ? "100000" : "100000,1000000")).split(",").map(Number).filter((n) => n > 0);
const rounds = Number(args.rounds ?? (quick ? 1 : 3));
const duration = Number(args.duration ?? (quick ? 2 : 10));
const connections = Number(args.connections);
const log = (msg: string) => console.log(msg);

type OpName = string;
const portBase = Number(args["port-base"]);
const PORTS: Record<ServerName, number> = { claimgraph: portBase, postgraphile: portBase + 1, raw: portBase + 2, "claimgraph-cached": portBase + 3 };

function gql(query: string, variables: Record<string, unknown>) {
  return JSON.stringify({ query, variables });
}

function start(name: ServerName, databaseUrl: string): ChildProcess {
  const main = args["claimgraph-main"] ? path.resolve(args["claimgraph-main"]) : path.join(ROOT, "dist/src/main.js");
  const script = { claimgraph: main, "claimgraph-cached": main, postgraphile: path.join(ROOT, "bench/servers/postgraphile.mjs"), raw: path.join(ROOT, "bench/servers/raw.mjs") }[name];
  return spawn(process.execPath, [script], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      PORT: String(PORTS[name]),
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DB_POOL_MAX: "10",
      GRAPHILE_ENV: "production",
      // Uncached claimgraph is what is compared with the others; the cached one answers the repeated read.
      RESPONSE_CACHE_MB: name === "claimgraph-cached" ? "64" : "0",
      // Admit all 32 connections' operations, as the other servers do: by default a process runs one
      // heaviest-allowed operation's cost at a time and answers the rest 503 OVERLOADED (load shedding,
      // README "Security: the HTTP edge"), which would count as failures here, not as latency.
      MAX_INFLIGHT_COST: String(connections * 20_000),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function post(name: ServerName, body: string): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${PORTS[name]}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
  return res.json();
}

async function waitUp(name: ServerName) {
  for (let i = 0; i < 120; i++) {
    const ok = await post(name, name === "raw" ? JSON.stringify({ op: "stats", params: { sourceId: "00000000-0000-0000-0000-000000000000" } }) : gql("{ __typename }", {})).then(() => true, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} did not start`);
}

async function restart(name: ServerName, proc: ChildProcess, databaseUrl: string): Promise<ChildProcess> {
  if (proc.exitCode === null) {
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    await exited;
  }
  const fresh = start(name, databaseUrl);
  await waitUp(name);
  return fresh;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return line ? Number(line.replace(/\D+/g, "")) / 1024 : 0;
}

/** User + system CPU time the process has used, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Sample { server: ServerName; op: OpName; round: number; rps: number; p50: number; p99: number; rssMiB: number; failures: number; cpuMsPerRequest: number }

async function measure(name: ServerName, op: OpName, p: Params, pid: number, round: number): Promise<Sample> {
  const spec = OPS[op].servers[name]!;
  const requests = Array.from({ length: OPS[op].count(p) }, (_, i) => ({ method: "POST" as const, headers: { "content-type": "application/json" }, body: spec.body(p, i) }));
  const load = (seconds: number) =>
    new Promise<autocannon.Result>((resolve, reject) =>
      autocannon(
        { url: `http://127.0.0.1:${PORTS[name]}/graphql`, connections, duration: seconds, requests, verifyBody: (b) => !String(b).includes('"errors"') },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  await load(quick ? 1 : 2); // warm-up (JIT, pool, plan caches), not recorded
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 250);
  const cpuBefore = cpuMs(pid);
  const result = await load(duration);
  const cpuMsPerRequest = (cpuMs(pid) - cpuBefore) / Math.max(result.requests.total, 1);
  clearInterval(sampler);
  const failures = result.errors + result.timeouts + result.non2xx + ((result as unknown as { mismatches?: number }).mismatches ?? 0);
  return { server: name, op, round, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, rssMiB: Math.round(peak), failures, cpuMsPerRequest };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function explainDeepPage(client: pg.Client, p: Params): Promise<Record<string, string>> {
  const pair = p.deep[0] ?? p.pairs[0];
  const where = [`c.retired_at IS NULL`, `c.source_id = '${pair.sourceId}'::uuid`, `c.status = '${pair.status}'::"VerificationStatus"`];
  const plans: Record<string, string> = {};
  for (const [label, extra] of [["first page", []], ["deep page (after the 1000th claim)", p.deep[0] ? [ORDERS.NEWEST.after([p.deep[0].saidAt.toISOString(), p.deep[0].id])] : []]] as const) {
    const { Prisma } = await import("../src/generated/prisma/client");
    // The columns the core query selects: text, saidAt, source { name }, article { title }.
    const projection = { claim: new Set(["text", "saidAt"]), source: new Set(["name"]), article: new Set(["title"]) };
    const sql = pageSql([...where.map((w) => Prisma.raw(w)), ...extra], "NEWEST", 21, projection);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql.text}`, sql.values as unknown[]);
    plans[label] = rows.map((r) => r["QUERY PLAN"]).join("\n");
  }
  return plans;
}

/**
 * A seed set imported, then refreshed unchanged (which must write nothing), in a process of its own
 * (bench/seedRefresh.ts) so the peak RSS is the import's: many 1,000-claim articles, and one big article.
 * With `big` and `template`: the issue's 10% refresh of a `big`-claim article, in a copy of a
 * generated bench database (its claims all there besides the seed set's).
 */
function seedRefresh(adminUrl: string, articles: number, claimsPerArticle: number, big?: { claims: number; template: string }): SeedRefreshResult {
  const extra = big ? [String(big.claims), "--template", big.template] : [];
  const out = execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/seedRefresh.ts"), adminUrl, String(articles), String(claimsPerArticle), ...extra], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 10 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

interface SeedRefreshResult {
  articles: number;
  claims: number;
  backgroundClaims?: number;
  validateSeconds: number;
  firstImportSeconds: number;
  firstImportWritten: number;
  refreshSeconds: number;
  refreshWritten: number;
  changedRefreshSeconds?: number;
  changedRefreshWritten?: number;
  longestVerdictWaitMs?: number;
  peakRssMiB: number;
  warnings: string[];
}

async function main() {
  if (!existsSync(path.join(ROOT, "bench/node_modules/postgraphile"))) {
    log("installing the benchmark's competitors (bench/package.json) ...");
    execSync("npm install --no-audit --no-fund", { cwd: path.join(ROOT, "bench"), stdio: "inherit" });
  }
  log("building claimgraph ...");
  execSync("npm run build", { cwd: ROOT, stdio: "ignore" });
  const adminUrl = args["admin-url"]!;
  const report: Record<string, unknown> = { date: new Date().toISOString(), quick, rounds, duration, connections, node: process.version, sizes: {} };
  const ops = (args.ops ? args.ops.split(",") : Object.keys(OPS)) as OpName[];
  const unknownOp = ops.find((op) => !(op in OPS));
  if (unknownOp) throw new Error(`--ops: unknown operation "${unknownOp}" (known: ${Object.keys(OPS).join(", ")})`);
  const servers: ServerName[] = ["claimgraph", "postgraphile", "raw", "claimgraph-cached"];

  for (const size of sizes) {
    const name = `${args["db-prefix"]}_${size}`;
    // 20 claims per article at every size (a news article's usual count), so an article page's answer
    // does not grow with the table; actors and events stay fixed, so theirs do (paged).
    const shape = { claims: size, actors: 2000, articles: Math.max(1_000, size / 20), events: 200 };
    let url: string;
    const admin = new URL(adminUrl);
    admin.pathname = `/${name}`;
    const probe = new pg.Client({ connectionString: admin.href });
    probe.on("error", () => undefined);
    const exists = await probe.connect().then(() => true, () => false);
    await probe.end().catch(() => undefined);
    if (args.reuse && exists) {
      url = admin.href;
      log(`reusing database ${name}`);
    } else {
      log(`generating ${size} claims into ${name} ...`);
      url = await generateDatabase(adminUrl, name, shape, log);
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const params = await pickParams(client);
    log(`  ${params.pairs.length} (actor, status) pairs, ${params.deep.length} deep pages, ${params.claims.length} claims with history`);

    const procs = Object.fromEntries(servers.map((s) => [s, start(s, url)])) as Record<ServerName, ChildProcess>;
    try {
      await Promise.all(servers.map(waitUp));
      await pgCursors(params, (body) => post("postgraphile", body));
      log("  checking every server's answers against SQL ...");
      for (const op of ops) {
        for (let i = 0; i < Math.min(quick ? 5 : 20, OPS[op].count(params)); i++) {
          const right = await truth(client, op, params, i);
          const expected = JSON.stringify(right);
          for (const s of servers) {
            const spec = OPS[op].servers[s];
            if (!spec) continue;
            const answer = await post(s, spec.body(params, i));
            let given: unknown;
            try {
              given = spec.texts(answer);
            } catch {
              throw new Error(`${s} answered ${op} #${i} with ${JSON.stringify(answer).slice(0, 500)}`);
            }
            const got = JSON.stringify(given);
            if (!sameAnswer(given, right)) throw new Error(`${s} answered ${op} #${i} wrongly:\n  got      ${got.slice(0, 300)}\n  expected ${expected.slice(0, 300)}`);
          }
        }
      }
      const samples: Sample[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const op of ops) {
          // Rotate who goes first each round, so no server always runs on a cold or warm machine.
          const order = servers.map((_, k) => servers[(k + round) % servers.length]).filter((s) => OPS[op].servers[s]);
          for (const s of order) {
            // A fresh process per measurement: its RSS is this operation's, not what earlier ones left
            // (not in quick mode, where time matters more: RSS is then the peak so far).
            if (!quick) procs[s] = await restart(s, procs[s], url);
            const sample = await measure(s, op, params, procs[s].pid!, round);
            samples.push(sample);
            log(`  round ${round + 1} ${op.padEnd(13)} ${s.padEnd(12)} ${Math.round(sample.rps).toString().padStart(6)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms  RSS ${sample.rssMiB} MiB  CPU ${sample.cpuMsPerRequest.toFixed(3)} ms/req${sample.failures ? `  FAILURES ${sample.failures}` : ""}`);
          }
        }
      }
      const summary = ops.map((op) => {
        const row: Record<string, unknown> = { op };
        const med = (s: ServerName, k: keyof Sample) => {
          const xs = samples.filter((x) => x.server === s && x.op === op).map((x) => x[k] as number);
          return xs.length ? median(xs) : null;
        };
        for (const s of servers) row[s] = { rps: med(s, "rps"), p50: med(s, "p50"), p99: med(s, "p99"), rssMiB: med(s, "rssMiB"), cpuMsPerRequest: med(s, "cpuMsPerRequest"), failures: samples.filter((x) => x.server === s && x.op === op).reduce((n, x) => n + x.failures, 0) };
        // Ratios are taken within each round, where the servers ran back to back on the same machine
        // state, and then their median: that is what interleaving is for.
        const cgName: ServerName = OPS[op].servers.claimgraph ? "claimgraph" : "claimgraph-cached";
        const ratio = (other: ServerName) => {
          const perRound = Array.from({ length: rounds }, (_, k) => {
            const rps = (s: ServerName) => samples.find((x) => x.server === s && x.op === op && x.round === k)?.rps;
            const [mine, theirs] = [rps(cgName), rps(other)];
            return mine && theirs ? mine / theirs : null;
          }).filter((r): r is number => r !== null);
          return perRound.length ? median(perRound) : null;
        };
        row.vsPostgraphile = ratio("postgraphile");
        row.vsRaw = ratio("raw");
        return row;
      });
      (report.sizes as Record<string, unknown>)[size] = { shape, summary, samples, plans: await explainDeepPage(client, params) };
    } finally {
      for (const proc of Object.values(procs)) proc.kill("SIGTERM");
      await client.end();
    }
  }
  if (!args["skip-seed-refresh"]) {
    const claims = quick ? 20_000 : 100_000;
    // The 10% refresh of a 20,000-claim article among the largest size's claims (issue 26's "at 1M").
    const template = sizes.length ? { claims: 20_000, template: `${args["db-prefix"]}_${Math.max(...sizes)}` } : undefined;
    // One article holds at most ~20,000 synthetic claims since seed bodies are capped at 1M characters
    // (MAX_SEED_BODY_CHARS); the 100k-claim article of issue 18 no longer passes validation.
    const oneArticle = Math.min(claims, 20_000);
    report.seedRefresh = [seedRefresh(adminUrl, claims / 1_000, 1_000), seedRefresh(adminUrl, 1, oneArticle), ...(template ? [seedRefresh(adminUrl, 20, 1_000, template)] : [])];
    log(`seed refresh: ${JSON.stringify(report.seedRefresh)}`);
  }

  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(":", "");
  writeFileSync(path.join(ROOT, `bench/results/${stamp}.json`), JSON.stringify(report, null, 2));
  writeFileSync(path.join(ROOT, `bench/results/${stamp}.md`), toMarkdown(report));
  log(`\n${toMarkdown(report)}\nwritten to bench/results/${stamp}.{json,md}`);
}

function toMarkdown(report: any): string {
  const lines = [`# claimgraph benchmark ${report.date}`, "", `${report.quick ? "quick" : "full"} run: ${report.rounds} round(s) × ${report.duration} s per operation and server, ${report.connections} connections, Node ${report.node}. Medians over rounds; ratios are medians of the per-round ratios.`, ""];
  for (const [size, data] of Object.entries<any>(report.sizes)) {
    lines.push(`## ${Number(size).toLocaleString("en")} claims`, "", "| operation | claimgraph req/s | p50 / p99 ms | RSS MiB | PostGraphile req/s | p99 ms | raw req/s | p99 ms | × PostGraphile | × raw | CPU ms/req claimgraph / raw |", "|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of data.summary) {
      const f = (x: number | null) => (x == null ? "n/a" : Math.round(x).toString());
      const cpu = (x: number | null | undefined) => (x == null ? "n/a" : x.toFixed(3));
      const cg = r.claimgraph.rps == null ? r["claimgraph-cached"] : r.claimgraph;
      const label = r.claimgraph.rps == null ? `${r.op} (response cache on)` : r.op;
      lines.push(`| ${label} | ${f(cg.rps)} | ${cg.p50} / ${cg.p99} | ${cg.rssMiB} | ${f(r.postgraphile.rps)} | ${r.postgraphile.p99 ?? "n/a"} | ${f(r.raw.rps)} | ${r.raw.p99} | ${r.vsPostgraphile == null ? "n/a" : r.vsPostgraphile.toFixed(2)} | ${r.vsRaw == null ? "n/a" : r.vsRaw.toFixed(2)} | ${cpu(cg.cpuMsPerRequest)} / ${cpu(r.raw.cpuMsPerRequest)} |`);
    }
    lines.push("", "Plans of claimgraph's page query for the busiest (actor, status) pair:", "");
    for (const [label, plan] of Object.entries<string>(data.plans)) lines.push(`${label}:`, "```", plan, "```", "");
  }
  if (report.seedRefresh) {
    lines.push(
      "## Seed refresh",
      "",
      "| seed set | validate | first import (rows) | unchanged refresh (rows) | 10% refresh of the big article (rows; longest verdict wait) | peak RSS | pg warnings |",
      "|---|---|---|---|---|---|---|",
    );
    for (const s of report.seedRefresh as SeedRefreshResult[]) {
      const among = s.backgroundClaims ? ` (${s.articles} + 1 article(s), among ${s.backgroundClaims.toLocaleString("en")} claims)` : ` in ${s.articles} article(s)`;
      const changed = s.changedRefreshSeconds == null ? "–" : `${s.changedRefreshSeconds.toFixed(1)} s (${s.changedRefreshWritten}; ${s.longestVerdictWaitMs} ms)`;
      lines.push(
        `| ${s.claims.toLocaleString("en")} claims${among} | ${s.validateSeconds.toFixed(1)} s | ${s.firstImportSeconds.toFixed(1)} s (${s.firstImportWritten}) | ` +
          `${s.refreshSeconds.toFixed(1)} s (${s.refreshWritten}) | ${changed} | ${s.peakRssMiB} MiB | ${s.warnings.length} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
