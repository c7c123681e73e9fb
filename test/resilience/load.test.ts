import autocannon from "autocannon";
import { freePort, rssMiB, spawnCli, waitForReady } from "../support/cli";
import { syntheticDatabase } from "../support/syntheticDatabase";

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 30);

function run(options: autocannon.Options) {
  return new Promise<autocannon.Result>((resolve, reject) => autocannon(options, (err, result) => (err ? reject(err) : resolve(result))));
}

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg("load", () => {
  test(`32 connections for ${LOAD_SECONDS} s: no failed request, every body checked, memory back near its baseline`, async () => {
    const database = await syntheticDatabase();
    const port = await freePort();
    const env = { DATABASE_URL: database.url };
    const app = spawnCli("src/main.ts", [], { ...env, PORT: port, NODE_ENV: "production", LOG_LEVEL: "warn", RESPONSE_CACHE_MB: "0" }); // every request must reach the database
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      await waitForReady(app, `http://127.0.0.1:${port}`);
      const requests = Array.from({ length: 20 }, (_, i) => ({
        method: "POST" as const,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `query($actor: String!) { claims(filter: { actor: $actor, status: [UNVERIFIED] }, first: 20) { totalCount edges { cursor node { text saidAt source { name } article { title } } } pageInfo { hasNextPage endCursor } } }`,
          variables: { actor: `Actor ${i * 5}` },
        }),
      }));
      const checked = { requests, verifyBody: (body: string | Buffer | undefined) => String(body).includes('"totalCount"') && !String(body).includes('"errors"') };
      await run({ url, connections: 8, amount: 2_000, ...checked });
      const baseline = rssMiB(app.child.pid!);

      const result = await run({ url, connections: 32, duration: LOAD_SECONDS, ...checked });
      const underLoad = rssMiB(app.child.pid!);
      await new Promise((r) => setTimeout(r, 5_000));
      const after = rssMiB(app.child.pid!);

      console.log(
        `load: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
          `${result.requests.total} requests; RSS baseline ${baseline.toFixed(0)} MiB, under load ${underLoad.toFixed(0)} MiB, after ${after.toFixed(0)} MiB`,
      );
      expect(result.requests.total).toBeGreaterThan(1_000);
      expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: (result as unknown as { mismatches: number }).mismatches }).toEqual({
        errors: 0,
        timeouts: 0,
        non2xx: 0,
        mismatches: 0,
      });
      expect(after).toBeLessThan(baseline * 1.5 + 64);
    } finally {
      app.child.kill("SIGTERM");
      await app.done;
      await database.drop();
    }
  });
});
