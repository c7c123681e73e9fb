// `npx tsx bench/cpu.ts --db <url> --server before=http://127.0.0.1:5301@<pid> --server after=http://127.0.0.1:5302@<pid> [--server raw:raw=http://127.0.0.1:5303@<pid>] [--ops a,b] [--rounds 3] [--duration 4] [--connections 32]`
// Server CPU per request under load, for several running claimgraph builds (or any server answering
// the workload's claimgraph bodies; `name:raw=` or `name:postgraphile=` for a server answering that
// one's bodies, bench/servers/), interleaved round by round (A B, then B A, …). On a shared,
// contended machine req/s says little, but the CPU a process spends per answered request
// (/proc/<pid>/stat, user + system) barely depends on how much CPU it was given: that is what this
// compares. Every answer is checked for `errors`.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { OPS, pickParams, type ServerName } from "./lib/workload";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    server: { type: "string", multiple: true },
    ops: { type: "string", default: "core-first,claim-history,actor-page" },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "4" },
    connections: { type: "string", default: "32" },
  },
});
const servers = (args.server ?? []).map((s) => {
  const [label, rest] = s.split("=");
  const [name, kind = "claimgraph"] = label.split(":");
  const [url, pid] = rest.split("@");
  return { name, kind: kind as ServerName, url, pid: Number(pid) };
});

/** User + system CPU time of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const client = new pg.Client({ connectionString: args.db });
  await client.connect();
  const params = await pickParams(client);
  await client.end();
  const rounds = Number(args.rounds);
  const others = servers.slice(1);
  console.log(`| operation | ${servers.map((s) => `${s.name} CPU ms/req | req/s`).join(" | ")} | ${others.map((s) => `${s.name} / ${servers[0].name} CPU | req/s`).join(" | ")} |`);
  console.log(`|---|${servers.map(() => "---|---").join("|")}|${others.map(() => "---|---").join("|")}|`);
  for (const op of args.ops!.split(",")) {
    const cpu = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const rps = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const present = servers.filter((s) => OPS[op].servers[s.kind]);
    for (let round = 0; round < rounds; round++) {
      for (const s of round % 2 ? [...present].reverse() : present) {
        const spec = OPS[op].servers[s.kind]!;
        const requests = Array.from({ length: OPS[op].count(params) }, (_, i) => ({ method: "POST" as const, headers: { "content-type": "application/json" }, body: spec.body(params, i) }));
        const load = (seconds: number) =>
          new Promise<autocannon.Result>((resolve, reject) =>
            autocannon(
              { url: `${s.url}/graphql`, connections: Number(args.connections), duration: seconds, requests, verifyBody: (b) => !String(b).includes('"errors"') },
              (err, res) => (err ? reject(err) : resolve(res)),
            ),
          );
        await load(1);
        const before = cpuMs(s.pid);
        const result = await load(Number(args.duration));
        const failures = result.errors + result.timeouts + result.non2xx + ((result as unknown as { mismatches?: number }).mismatches ?? 0);
        if (failures) console.error(`${s.name} ${op}: ${failures} failed requests`);
        cpu.get(s.name)!.push((cpuMs(s.pid) - before) / Math.max(result.requests.total, 1));
        rps.get(s.name)!.push(result.requests.average);
      }
    }
    const base = servers[0].name;
    const cell = (xs: number[], digits: number) => (xs.length ? median(xs).toFixed(digits) : "n/a");
    const cells = servers.map((s) => `${cell(cpu.get(s.name)!, 3)} | ${cell(rps.get(s.name)!, 0)}`);
    // req/s compared within each round (the servers ran back to back), then the median of those ratios.
    const perRound = (name: string, of: Map<string, number[]>) => of.get(name)!.map((x, k) => x / of.get(base)![k]);
    const ratios = others.map((s) => `${cell(perRound(s.name, cpu), 2)} | ${cell(perRound(s.name, rps), 2)}`);
    console.log(`| ${op} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
