import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the fourth attack round (2026-12-07); fails on main at a2c7df4. An extraction longer than
// REQUEST_TIMEOUT_MS but shorter than WORKER_TASK_MS is cut by the request's abort, and an aborted task
// is neither memoised nor remembered as over budget (src/proposal/extraction.ts): every anonymous request
// runs it again from scratch. Measured with the defaults (15 s / 30 s, one worker thread): 4 anonymous
// requests for the proposals of 60,000-character bodies ('"No," he said. ' repeated, "a, " repeated,
// …) each ran 15 s of worker CPU and an editor's body correction (3.3 s alone) timed out with 503.
const CREATE = `mutation($i: ArticleCreateInput!) { articleCreate(input: $i) { article { id } userErrors { code } } }`;
const PROPOSALS = `query($id: ID!) { article(id: $id) { claimProposals(first: 5) { id } } }`;

describe.each(databaseKinds())("claim proposals cut by their request's timeout (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", REQUEST_TIMEOUT_MS: "1500", HEADERS_TIMEOUT_MS: "1500" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("a second request for the same article does not run the cut extraction again", async () => {
    const editor = await createKey(server, "EDITOR");
    const body = '"No," he said. '.repeat(4_000).trimEnd();
    const input = { authors: ["A"], body, publication: "P", publishedAt: "2026-12-01T00:00:00Z", title: "A transcript", url: "https://example.org/transcript" };
    const created = await server.gql(CREATE, { i: input }, editor);
    const id = created.body.data.articleCreate.article.id;
    const first = await server.gql(PROPOSALS, { id });
    expect(first.body.errors?.[0]?.extensions.code).toBe("REQUEST_TIMEOUT");
    // Once cut, the same work is answered from what is known (its result, or WORK_BUDGET_EXCEEDED), not run again.
    const second = await server.gql(PROPOSALS, { id });
    expect(second.body.errors?.[0]?.extensions.code).not.toBe("REQUEST_TIMEOUT");
  }, 60_000);
});
