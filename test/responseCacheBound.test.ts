import type { AddressInfo } from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { createApp } from "../src/http/app";
import type { ResponseCache } from "../src/http/responseCache";
import { createLogger } from "../src/logger";
import { startServer, type TestServer } from "./support/harness";

// Issue 22, finding 1: the response cache's key was the whole request body, counted as ~200 bytes.

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const CAP_MB = 1;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, cache: res.headers.get("x-cache"), body: (await res.json()) as any };
}

async function get(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql?${new URLSearchParams(params)}`, { headers });
  return { status: res.status, cache: res.headers.get("x-cache"), body: (await res.json()) as any };
}

function heapMiB() {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe("response cache bounded by RESPONSE_CACHE_MB, keyed by the normalised operation", () => {
  let server: TestServer;
  let app: Awaited<ReturnType<typeof createApp>>;
  let cache: ResponseCache;
  let url: string;
  beforeAll(async () => {
    server = await startServer("pglite");
    // A second app on the same database with a small cap, so the test can read the cache's accounting.
    app = await createApp({ ...server.config, RESPONSE_CACHE_MB: CAP_MB }, server.db, createLogger("silent"));
    cache = app.cache!;
    await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    app?.server.closeAllConnections();
    await new Promise((resolve) => app?.server.close(resolve));
    await app?.apollo.stop();
    await server?.close();
  });

  test("padded variants of one read hit the same entry", async () => {
    const query = `query Stats($first: Int) { claimStats { total } claims(first: $first) { totalCount } }`;
    const first = await post(url, { query, variables: { first: 1 } });
    expect(first.cache).toBeNull();
    expect(first.body.errors).toBeUndefined();
    const variants = [
      { query: `# ${"x".repeat(60_000)}\n${query}`, variables: { first: 1 } },
      { query: query.replace(/ /g, "\n  ,"), variables: { first: 1 } },
      { query, variables: { first: 1, unused: "y".repeat(60_000) } },
      { query, operationName: null, variables: { first: 1 }, extensions: { padding: "z".repeat(60_000) } },
    ];
    for (const variant of variants) {
      const answer = await post(url, variant);
      expect(answer.cache).toBe("HIT");
      expect(answer.body).toEqual(first.body);
    }
    // What does change the answer makes another entry.
    expect((await post(url, { query, variables: { first: 2 } })).cache).toBeNull();
    expect((await post(url, { query: query.replace("total }", "total byStatus { status count } }"), variables: { first: 1 } })).cache).toBeNull();
  });

  test("a GET's key keeps CSRF prevention: a simple GET never reads a preflighted GET's entry", async () => {
    const params = { query: `{ claimStats { total } }` };
    const preflighted = { "apollo-require-preflight": "true" };
    expect((await get(url, params, preflighted)).status).toBe(200);
    expect((await get(url, { query: `#pad\n{claimStats{total}}` }, preflighted)).cache).toBe("HIT");
    const simple = await get(url, params);
    expect(simple.status).toBe(400);
    expect(simple.body.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  test("thousands of distinct padded reads keep the cache within its cap, keys included", async () => {
    const pad = `# ${"p".repeat(60_000)}\n`;
    const before = heapMiB();
    for (let i = 0; i < 1_500; i++) {
      const answer = await post(url, { query: `${pad}{ a${i}: claimStats { total } }` });
      expect(answer.status).toBe(200);
      expect(answer.cache).toBeNull();
    }
    expect(cache.size).toBeLessThanOrEqual(CAP_MB * 2 ** 20);
    // 1,500 padded bodies are ~90 MB: kept as keys (or as the source of Apollo's stored documents) they
    // stayed on the heap. Now the response cache holds digests within its cap, and the document store
    // charges each document its source text, within its 30 MiB.
    expect(heapMiB() - before).toBeLessThan(CAP_MB + 30 + 10);
    // The cache still serves: the most recent entries are there.
    expect((await post(url, { query: `{ a1499: claimStats { total } }` })).cache).toBe("HIT");
  });
});
