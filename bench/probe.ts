// `npx tsx bench/probe.ts --db <url> --server before=http://127.0.0.1:5301 --server after=http://127.0.0.1:5302 [--n 7] [--ops a,b]`
// Latency of one client, no load: for each workload operation, the median of n requests to each
// running claimgraph build, interleaved request by request so machine noise hits both alike. What
// bench/README's before/after tables are measured with. Answers with errors are reported, not timed.
import { parseArgs } from "node:util";
import pg from "pg";
import { OPS, pickParams } from "./lib/workload";

const { values: args } = parseArgs({
  options: { db: { type: "string" }, server: { type: "string", multiple: true }, n: { type: "string", default: "7" }, ops: { type: "string" } },
});
const servers = (args.server ?? []).map((s) => s.split("=") as [string, string]);
const n = Number(args.n);

async function time(url: string, body: string): Promise<number | string> {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const json = (await res.json()) as { errors?: { message: string }[] };
  const ms = performance.now() - started;
  return json.errors ? `error: ${json.errors[0].message.slice(0, 80)}` : ms;
}

async function main() {
  const client = new pg.Client({ connectionString: args.db });
  await client.connect();
  const params = await pickParams(client);
  await client.end();
  const ops = args.ops ? args.ops.split(",") : Object.keys(OPS).filter((op) => OPS[op].servers.claimgraph);
  console.log(`| operation | ${servers.map(([name]) => `${name} median ms`).join(" | ")} |`);
  console.log(`|---|${servers.map(() => "---").join("|")}|`);
  for (const op of ops) {
    const spec = OPS[op].servers.claimgraph!;
    const samples = new Map<string, (number | string)[]>(servers.map(([name]) => [name, []]));
    for (let i = 0; i < n; i++) {
      // totalCountIsExact is left out so that builds without it answer the same query.
      const body = spec.body(params, i % OPS[op].count(params)).replace(/ totalCountIsExact/g, "");
      for (const [name, url] of i % 2 ? [...servers].reverse() : servers) samples.get(name)!.push(await time(url, body));
    }
    const cells = servers.map(([name]) => {
      const xs = samples.get(name)!;
      const failure = xs.find((x) => typeof x === "string");
      if (failure) return String(failure);
      const sorted = (xs as number[]).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)].toFixed(1);
    });
    console.log(`| ${op} | ${cells.join(" | ")} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
