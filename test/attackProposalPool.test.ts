import { cpuPool } from "../src/cpu/pool";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the review round (2026-12-07). Anonymous readers asking for the proposals of articles
// nobody had viewed filled the CPU pool's threads and queue, and an editor's own work then got 503
// OVERLOADED: the pool, unlike the database pool, served the desk no better than a crawler.
const CREATE = `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } } }`;
const PROPOSALS = `query($id: ID!) { article(id: $id) { claimProposals(first: 1) { text } } }`;
const PARAGRAPH = "The Health Ministry said on Tuesday that NUM people had died. “We are doing everything we can,” said Maria Lopez, the governor.\n\n";
const longBody = (n: number) => {
  let body = "";
  for (let i = 0; body.length < 30_000; i++) body += PARAGRAPH.replace("NUM", String(n * 1_000 + i));
  return body;
};
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe.each(databaseKinds())("the CPU pool under anonymous readers (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0", WORKER_THREADS: "1", WORKER_QUEUE: "4" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("readers cannot take the last of the pool's places: an editor's extraction is admitted", async () => {
    const editor = await createKey(server, "EDITOR");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const input = { url: `https://example.org/pool/${i}`, title: `Pool ${i}`, publication: "W", authors: ["A"], publishedAt: "2026-11-02T00:00:00Z", body: longBody(i) };
      ids.push((await server.gql(CREATE, { input }, editor)).body.data.articleCreate.article.id);
    }
    let refused = 0;
    const readers = ids.slice(0, 5).map((id) =>
      server.gql(PROPOSALS, { id }).then((r) => {
        if (r.status === 503) refused++;
        return r;
      }),
    );
    // Every reader is either running or queued in the pool, or was refused.
    await until(() => cpuPool().pending + refused === 5);
    const desk = await server.gql(PROPOSALS, { id: ids[5] }, editor);
    const answers = await Promise.all(readers);
    expect(desk.status).toBe(200);
    expect(desk.body.data.article.claimProposals).toEqual([{ text: "The Health Ministry said on Tuesday that 5000 people had died." }]);
    for (const r of answers) expect([200, 503]).toContain(r.status);
  }, 120_000);
});
