import { execFileSync, spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { freePort, rssMiB, spawnBuilt, waitForReady } from "../support/cli";
import { syntheticDatabase } from "../support/syntheticDatabase";

// Issue 11, finding 9: the heaviest query the limits allow, from 32 connections, with the cache off.
// Overload must be shed (503 + Retry-After), not absorbed: bounded memory, a responsive event loop.
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const MAX_COST = 20_000;

const heavy = (k: number) =>
  `{ sources(first: 100) { nodes { name aliases claims(first: ${k}) { totalCount nodes { text kind status saidAt quote { exact prefix suffix } article { title } } } } } }`;

/** Fetches a URL every 50 ms for a while and prints the latencies (ms) as JSON. */
const PROBE = `
const [url, forMs] = process.argv.slice(1);
const until = Date.now() + Number(forMs), times = [];
(async () => {
  while (Date.now() < until) {
    const started = performance.now();
    await fetch(url).then((r) => r.text());
    times.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stdout.write(JSON.stringify(times));
})();`;

function probeHealth(url: string, forMs: number): Promise<number[]> {
  const prober = spawn(process.execPath, ["-e", PROBE, url, String(forMs)], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  prober.stdout!.on("data", (d) => (output += d));
  return new Promise((resolve) => prober.on("close", () => resolve(JSON.parse(output))));
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg("overload", () => {
  // Memory is measured on the server as deployed (compiled), not under tsx.
  beforeAll(() => execFileSync("npm", ["run", "build"], { stdio: "ignore" }));

  test(`32 connections of the heaviest allowed query for ${LOAD_SECONDS} s: shed with 503, RSS < 400 MiB, /health p99 < 100 ms`, async () => {
    const database = await syntheticDatabase();
    const port = await freePort();
    const env = { DATABASE_URL: database.url };
    const app = spawnBuilt("dist/src/main.js", [], { ...env, PORT: port, NODE_ENV: "production", LOG_LEVEL: "warn", RESPONSE_CACHE_MB: "0", MAX_COST: String(MAX_COST), SHED_LOOP_DELAY_MS: "100" });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForReady(app, base);
      // Shedding may refuse while the process warms up (or the machine lags): retry until let in.
      const ask = async (query: string) => {
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
          const body = (await res.json()) as any;
          if (res.status !== 503 || attempt === 50) return body;
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      // The cost is linear in claims(first: k): read it off two refusals, take the largest k under the limit.
      const costOf = async (k: number) => Number((await ask(heavy(k))).errors?.[0]?.extensions?.cost);
      const [c100, c99] = [await costOf(100), await costOf(99)];
      const k = Math.floor((MAX_COST - (c100 - 100 * (c100 - c99))) / (c100 - c99));
      const check = await ask(heavy(k));
      expect(check.errors).toBeUndefined();
      expect(check.data.sources.nodes.length).toBe(100);
      const baseline = rssMiB(app.child.pid!);

      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(app.child.pid!))), 100);
      let loading = true;
      // /health latency from a process of its own (autocannon keeps this one's event loop busy),
      // first without load: on a machine already saturated by others the 100 ms target says nothing.
      const idle = await probeHealth(`${base}/health`, 5_000);
      const probed = probeHealth(`${base}/health`, LOAD_SECONDS * 1000);
      // A client of its own during the load, reading the headers of what it gets refused.
      const refusals: { code: string; retryAfter: string | null }[] = [];
      const refusalProbe = (async () => {
        while (loading) {
          const res = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: heavy(k) }) });
          const body = (await res.json()) as any;
          if (res.status === 503) refusals.push({ code: body.errors[0].extensions.code, retryAfter: res.headers.get("retry-after") });
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      const statuses = new Map<number, number>();
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${base}/graphql`,
            connections: 32,
            duration: LOAD_SECONDS,
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: heavy(k) }),
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
        instance.on("response", (_client, statusCode) => statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1));
      });
      loading = false;
      const [health] = await Promise.all([probed, refusalProbe]);
      clearInterval(sampler);

      const p99 = percentile(health, 99);
      const idleP99 = percentile(idle, 99);
      console.log(
        `overload: k=${k} (cost ${c100 - (100 - k) * (c100 - c99)}), ${result.requests.total} requests in ${LOAD_SECONDS} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
          `answered ${statuses.get(200) ?? 0} (${((statuses.get(200) ?? 0) / LOAD_SECONDS).toFixed(1)}/s); RSS baseline ${baseline.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB; ` +
          `/health p50 ${percentile(health, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...health).toFixed(1)} ms over ${health.length} probes ` +
          `(without load: p50 ${percentile(idle, 50).toFixed(1)} ms, p99 ${idleP99.toFixed(1)} ms); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
      );
      expect(statuses.get(200)).toBeGreaterThan(0);
      expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(statuses.get(503)).toBeGreaterThan(0);
      expect(refusals.length).toBeGreaterThan(0);
      expect(new Set(refusals.map((r) => `${r.code} ${r.retryAfter}`))).toEqual(new Set(["OVERLOADED 1"]));
      expect(result.errors + result.timeouts).toBe(0);
      expect(peak).toBeLessThan(400);
      if (idleP99 < 20) expect(p99).toBeLessThan(100);
      else console.warn(`/health p99 target not checked: the machine is saturated (p99 ${idleP99.toFixed(0)} ms without any load on claimgraph)`);
    } finally {
      app.child.kill("SIGTERM");
      await app.done;
      await database.drop();
    }
  });
});
