import type { AddressInfo } from "node:net";
import { createApp } from "../src/http/app";
import { createLogger } from "../src/logger";
import { extractionStats } from "../src/proposal/extraction";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the fourth attack round (2026-12-07); fails on main at a2c7df4. An extraction longer than
// REQUEST_TIMEOUT_MS but shorter than WORKER_TASK_MS is cut by the request's abort, and an aborted task
// is neither memoised nor remembered as over budget (src/proposal/extraction.ts): every anonymous request
// runs it again from scratch. Measured with the defaults (15 s / 30 s, one worker thread): 4 anonymous
// requests for the proposals of 60,000-character bodies ('"No," he said. ' repeated, "a, " repeated,
// …) each ran 15 s of worker CPU and an editor's body correction (3.3 s alone) timed out with 503.
const CREATE = `mutation($i: ArticleCreateInput!) { articleCreate(input: $i) { article { id } userErrors { code } } }`;
const PROPOSALS = `query($id: ID!) { article(id: $id) { claimProposals(first: 5) { id } } }`;

/** REQUEST_TIMEOUT_MS of the app the proposals are asked of: below any extraction of the body (a warmed worker's takes ~0.4 s). */
const SHORT_TIMEOUT_MS = 300;

describe.each(databaseKinds())("claim proposals cut by their request's timeout (%s)", (kind) => {
  let server: TestServer;
  let app: Awaited<ReturnType<typeof createApp>>;
  let url: string;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0" } });
    // A second app on the same database with a timeout no extraction of the body fits in, whatever the
    // machine's speed; the article is created through the first, whose timeout is the default.
    app = await createApp({ ...server.config, REQUEST_TIMEOUT_MS: SHORT_TIMEOUT_MS }, server.db, createLogger("silent"));
    await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    app?.server.closeAllConnections();
    await new Promise((resolve) => app?.server.close(resolve));
    await app?.apollo.stop();
    await server?.close();
  });

  const proposals = async (id: string) => {
    const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: PROPOSALS, variables: { id } }) });
    return (await res.json()) as { errors?: { extensions: { code: string } }[] };
  };

  test("a second request for the same article does not run the cut extraction again", async () => {
    const editor = await createKey(server, "EDITOR");
    const body = '"No," he said. '.repeat(4_000).trimEnd();
    const input = { authors: ["A"], body, publication: "P", publishedAt: "2026-12-01T00:00:00Z", title: "A transcript", url: "https://example.org/transcript" };
    const created = await server.gql(CREATE, { i: input }, editor);
    const id = created.body.data.articleCreate.article.id;
    const runs = extractionStats.runs;
    const first = await proposals(id);
    expect(first.errors?.[0]?.extensions.code).toBe("REQUEST_TIMEOUT");
    // Once cut, the same work is answered from what is known (WORK_BUDGET_EXCEEDED), not run again.
    const second = await proposals(id);
    expect(second.errors?.[0]?.extensions.code).toBe("WORK_BUDGET_EXCEEDED");
    expect(extractionStats.runs - runs).toBe(1);
  }, 60_000);
});
