import { createApp } from "../src/http/app";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import type { AddressInfo } from "node:net";

const READ = `query($actor: String) { claims(filter: { actor: $actor }) { nodes { id status } } }`;

async function post(url: string, query: string, variables?: Record<string, unknown>, key?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { cache: res.headers.get("x-cache"), cacheControl: res.headers.get("cache-control"), body: (await res.json()) as any };
}

describe.each(databaseKinds())("response cache on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  beforeAll(async () => {
    server = await startServer(kind);
    editor = await createKey(server, "EDITOR");
  });
  afterAll(() => server?.close());

  test("a repeated anonymous read is served from the cache, with the max-age of its types", async () => {
    const first = await post(server.url, READ, { actor: "Khamenei" });
    const second = await post(server.url, READ, { actor: "Khamenei" });
    expect(first.cache).toBeNull();
    expect(first.cacheControl).toBe("max-age=60, public");
    expect(second.cache).toBe("HIT");
    expect(second.body).toEqual(first.body);
    const stats = await post(server.url, `{ claimStats { total } }`);
    expect(stats.cacheControl).toBe("max-age=15, public");
  });

  test("Cache-Control follows the hints of every type and field the query touches, fragments included", async () => {
    const { body } = await post(server.url, `{ sources(first: 1) { nodes { id } } }`);
    const sourceId = body.data.sources.nodes[0].id;
    // Source is hinted 600 s: alone it keeps that; any unhinted object brings the 60 s default.
    expect((await post(server.url, `query($id: ID!) { source(id: $id) { name } }`, { id: sourceId })).cacheControl).toBe("max-age=600, public");
    const withClaims = await post(server.url, `query($id: ID!) { source(id: $id) { ...S } } fragment S on Source { name claims(first: 1) { nodes { id } } }`, { id: sourceId });
    expect(withClaims.cacheControl).toBe("max-age=60, public");
    // API keys are private and never cached: the whole answer is no-store.
    const keys = await post(server.url, `{ apiKeys { name } }`, undefined, await createKey(server, "ADMIN"));
    expect(keys.body.errors).toBeUndefined();
    expect(keys.cacheControl).toBe("no-store");
    // An answer with errors is never cacheable, whatever its types say.
    expect((await post(server.url, `{ claims(first: 500) { totalCount } }`)).cacheControl).toBe("no-store");
  });

  test("a verdict change is visible at once", async () => {
    const before = await post(server.url, READ, { actor: "Hook" });
    await post(server.url, READ, { actor: "Hook" });
    const claimId = before.body.data.claims.nodes[0].id;
    const set = await post(server.url, `mutation($id: ID!) { claimSetStatus(input: { claimId: $id, status: IN_REVIEW }) { userErrors { code } } }`, { id: claimId }, editor);
    expect(set.body.data.claimSetStatus.userErrors).toEqual([]);
    const after = await post(server.url, READ, { actor: "Hook" });
    expect(after.cache).toBeNull();
    expect(after.body.data.claims.nodes.find((n: any) => n.id === claimId).status).toBe("IN_REVIEW");
  });

  test("requests with a key, and answers with errors, are never cached", async () => {
    await post(server.url, READ, { actor: "Trump" }, editor);
    expect((await post(server.url, READ, { actor: "Trump" }, editor)).cache).toBeNull();
    await post(server.url, `{ claims(first: 500) { totalCount } }`);
    expect((await post(server.url, `{ claims(first: 500) { totalCount } }`)).cache).toBeNull();
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg("response cache across replicas", () => {
  test("a write on one replica drops the other replica's cache (PostgreSQL NOTIFY)", async () => {
    const a = await startServer("postgres");
    const b = await createApp(a.config, a.db, (await import("../src/logger")).createLogger("silent"));
    await new Promise<void>((resolve) => b.server.listen(0, "127.0.0.1", resolve));
    const bUrl = `http://127.0.0.1:${(b.server.address() as AddressInfo).port}`;
    try {
      const editor = await createKey(a, "EDITOR");
      const read = await post(bUrl, READ, { actor: "Itani" });
      expect((await post(bUrl, READ, { actor: "Itani" })).cache).toBe("HIT");
      const claimId = read.body.data.claims.nodes[0].id;
      await post(a.url, `mutation($id: ID!) { claimSetStatus(input: { claimId: $id, status: IN_REVIEW }) { userErrors { code } } }`, { id: claimId }, editor);
      let status = "";
      for (let i = 0; i < 50 && status !== "IN_REVIEW"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await post(bUrl, READ, { actor: "Itani" })).body.data.claims.nodes.find((n: any) => n.id === claimId).status;
      }
      expect(status).toBe("IN_REVIEW");
    } finally {
      b.server.closeAllConnections();
      await new Promise((r) => b.server.close(r));
      await b.apollo.stop();
      await a.close();
    }
  });
});
