// `npx tsx bench/cpu.ts --db <url> --server before=http://127.0.0.1:5301@<pid> --server after=http://127.0.0.1:5302@<pid> [--ops a,b] [--rounds 3] [--duration 4] [--connections 32]`
// Server CPU per request under load, for several running claimgraph builds (or any server answering
// the workload's claimgraph bodies), interleaved round by round (A B, then B A, …). On a shared,
// contended machine req/s says little, but the CPU a process spends per answered request
// (/proc/<pid>/stat, user + system) barely depends on how much CPU it was given: that is what this
// compares. Every answer is checked for `errors`.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { OPS, pickParams } from "./lib/workload";

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
  const [name, rest] = s.split("=");
  const [url, pid] = rest.split("@");
  return { name, url, pid: Number(pid) };
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
  console.log(`| operation | ${servers.map((s) => `${s.name} CPU ms/req | req/s`).join(" | ")} | ${servers.slice(1).map((s) => `${s.name} / ${servers[0].name} CPU`).join(" | ")} |`);
  console.log(`|---|${servers.map(() => "---|---").join("|")}|${servers.slice(1).map(() => "---").join("|")}|`);
  for (const op of args.ops!.split(",")) {
    const spec = OPS[op].servers.claimgraph!;
    const requests = Array.from({ length: OPS[op].count(params) }, (_, i) => ({ method: "POST" as const, headers: { "content-type": "application/json" }, body: spec.body(params, i) }));
    const cpu = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const rps = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const s of round % 2 ? [...servers].reverse() : servers) {
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
    const base = median(cpu.get(servers[0].name)!);
    const cells = servers.map((s) => `${median(cpu.get(s.name)!).toFixed(3)} | ${Math.round(median(rps.get(s.name)!))}`);
    const ratios = servers.slice(1).map((s) => (median(cpu.get(s.name)!) / base).toFixed(2));
    console.log(`| ${op} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
