import { readFileSync } from "node:fs";
import { extractionStats } from "../src/proposal/extraction";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the attack round of 2026-12-07: claim proposals of many articles in one anonymous request.
// The extractor's queue takes WORKER_THREADS + WORKER_QUEUE tasks; the request's further articles are
// refused (503 OVERLOADED, data null, answered in ~60 ms: graphql-js answers as soon as an error nulls
// the list), but the tasks it had queued kept running after that answer — by hand (PostgreSQL,
// 59,000-character bodies) one refused request was followed by 7 CPU-seconds of extraction, and an
// editor asking for proposals meanwhile was refused. The answer now aborts the request's work.
const CREATE = `mutation($i: ArticleCreateInput!) { articleCreate(input: $i) { article { id } userErrors { message } } }`;
const PROPOSALS = `query($n: Int) { articles(first: $n) { nodes { id claimProposals { text } } } }`;

/** Distinct long bodies: the seed article's paragraphs in a different order per article. */
function bodies(n: number): string[] {
  const paragraphs = readFileSync("seed/articles/soleimani-strike-push.txt", "utf8").split(/\n\s*\n/).filter((p) => p.trim().length > 40);
  return Array.from({ length: n }, (_, i) => {
    const out: string[] = [];
    for (let k = 0, len = 0; len < 57_000; k++) {
      const p = paragraphs[(k * (i + 3) + i) % paragraphs.length];
      out.push(p);
      len += p.length + 2;
    }
    return out.join("\n\n").slice(0, 59_000);
  });
}

describe.each(databaseKinds())("a claimProposals request refused for a full CPU pool (%s)", (kind) => {
  let server: TestServer;
  let editor: string;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", WORKER_THREADS: "1", WORKER_QUEUE: "8" } });
    editor = await createKey(server, "EDITOR");
    for (const [i, body] of bodies(12).entries()) {
      const input = { title: `Long ${i}`, url: `https://example.org/long/${i}`, authors: ["A. Writer"], publication: "Example", publishedAt: "2021-06-01T00:00:00Z", body };
      const created = await server.gql(CREATE, { i: input }, editor);
      expect(created.body.data.articleCreate.userErrors).toEqual([]);
    }
  }, 120_000);
  afterAll(() => server?.close());

  test("leaves no extraction running behind its 503, so an editor's proposals right after are answered", async () => {
    const order = await server.gql(`{ articles(first: 12) { nodes { title } } }`);
    expect(order.body.data.articles.nodes.every((a: { title: string }) => a.title.startsWith("Long "))).toBe(true);
    const before = { ...extractionStats };
    const anonymous = await server.gql(PROPOSALS, { n: 12 });
    expect(anonymous.status).toBe(503);
    expect(anonymous.body.errors[0].extensions.code).toBe("OVERLOADED");
    // The seed article: not one of the 12 whose tasks the refused request queued.
    const listed = await server.gql(`{ articles(first: 20) { nodes { id title } } }`);
    const id = listed.body.data.articles.nodes.find((a: { title: string }) => !a.title.startsWith("Long ")).id;
    const desk = await server.gql(`query($id: ID!) { node(id: $id) { ... on Article { claimProposals(first: 5) { text } } } }`, { id }, editor);
    // The runs the refused request had queued were cancelled with its answer (none was, before).
    expect(extractionStats.cancelled - before.cancelled).toBeGreaterThan(0);
    expect(desk.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toBeUndefined();
  }, 120_000);
});
