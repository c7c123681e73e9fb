import { threadId } from "node:worker_threads";
import { FIELD_WORK } from "../src/graphql/cost";
import { cpuPool } from "../src/cpu/pool";
import { extractionStats } from "../src/proposal/extraction";
import { MAX_FUZZY_QUOTE_CHARS } from "../src/article/anchoring";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

/**
 * Issue 22, findings 2 and 8: claim extraction and re-anchoring run in worker threads (src/cpu/),
 * memoised, shared between concurrent requests, bounded by a queue, and stopped with their request.
 */

const CREATE = `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } userErrors { code message } } }`;
const UPDATE = `mutation($input: ArticleUpdateInput!) {
  articleUpdate(input: $input) { article { id } reanchoring { exact fuzzy orphaned } userErrors { code message } } }`;
const CLAIM = `mutation($input: ClaimCreateInput!) { claimCreate(input: $input) { claim { id } userErrors { code message } } }`;
const ANCHORS = `query($id: ID!) { article(id: $id) { body claims { quote { anchoring start } history { aspect } } } }`;

const PARAGRAPH =
  "The Health Ministry said on Tuesday that 42 people had died in the floods. “We are doing everything we can,” said " +
  "Maria Lopez, the region’s governor. Opposition leader Tom Baker accused the government of ignoring warnings.\n\n";
/** A 60,000-character news body, different for each `n`. */
const longBody = (n: number) => {
  let body = "";
  for (let i = 0; body.length < 60_000; i++) body += PARAGRAPH.replace("42", String(n * 1_000 + i));
  return body.slice(0, 60_000);
};
const proposalsQuery = (aliases: number) =>
  `query($id: ID!) { article(id: $id) { ${Array.from({ length: aliases }, (_, i) => `a${i}: claimProposals { id text }`).join(" ")} } }`;

test("the pool's work runs off the main thread", async () => {
  const workerThread = await cpuPool().threadId();
  expect(workerThread).not.toBe(threadId);
  expect(workerThread).toBeGreaterThan(0);
});

test("a worker has run the extractor once, off any request, before it takes a task", async () => {
  // A cold thread's first long body cost about as much again in compilation (src/proposal/warmUp.ts).
  expect(await cpuPool().warmedUp()).toEqual(["warmUpExtraction"]);
});

test("claim proposals are priced by their work in the cost model", () => {
  expect(FIELD_WORK["Article.claimProposals"]).toBeGreaterThanOrEqual(1_000);
});

describe.each(databaseKinds())("CPU-heavy work on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let sourceId: string;
  let article = 0;
  const createArticle = async (body: string) => {
    const { body: res } = await server.gql(
      CREATE,
      { input: { url: `https://example.org/cpu/${++article}`, title: `Long read ${article}`, publication: "Example", authors: ["A. Reporter"], publishedAt: "2026-11-20T00:00:00Z", body } },
      editor,
    );
    expect(res.data.articleCreate.userErrors).toEqual([]);
    return res.data.articleCreate.article.id as string;
  };
  const post = (query: string, variables: object, init: RequestInit = {}, key?: string) =>
    fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
      ...init,
    });
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  beforeAll(async () => {
    server = await startServer(kind, {
      // 30 proposal aliases cost 30,000: admitted here to show they share one extraction (the default MAX_COST refuses them).
      env: { MAX_COST: "100000", MAX_INFLIGHT_COST: "200000", WORKER_THREADS: "1", WORKER_QUEUE: "1" },
    });
    editor = await createKey(server, "EDITOR");
    sourceId = (await server.gql(`{ source(slug: "donald-trump") { id } }`)).body.data.source.id;
  });
  afterAll(() => server?.close());

  test("30 aliases of claimProposals on a 60,000-character article run the extractor once, and /health keeps answering", async () => {
    const id = await createArticle(longBody(1));
    const runs = extractionStats.runs;
    let finished = false;
    let healthAnswers = 0;
    const health = (async () => {
      while (!finished) {
        if ((await fetch(`${server.url}/health`)).ok) healthAnswers++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const res = await server.gql(proposalsQuery(30), { id });
    finished = true;
    await health;
    expect(res.body.errors).toBeUndefined();
    const lists = Object.values(res.body.data.article) as { id: string }[][];
    expect(lists).toHaveLength(30);
    // A big article: more candidates than one answer may carry (`first` caps it at 100).
    expect(lists[0]!.length).toBe(100);
    for (const list of lists) expect(list).toEqual(lists[0]);
    expect(extractionStats.runs - runs).toBe(1);
    // The extraction takes seconds; a blocked event loop answered /health at most once or twice.
    expect(healthAnswers).toBeGreaterThanOrEqual(5);
    // The memo answers the next request without running the extractor.
    const hits = extractionStats.memoHits;
    expect((await server.gql(proposalsQuery(1), { id })).body.data.article.a0).toEqual(lists[0]);
    expect(extractionStats.runs - runs).toBe(1);
    expect(extractionStats.memoHits).toBe(hits + 1);
  });

  test("with the worker and its queue busy, another extraction is refused with 503 OVERLOADED and Retry-After", async () => {
    const ids = [await createArticle(longBody(2)), await createArticle(longBody(3)), await createArticle(longBody(4))];
    const answers = await Promise.all(ids.map((id) => post(proposalsQuery(1), { id })));
    const refused = answers.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await r.json()) as any).errors[0].extensions.code).toBe("OVERLOADED");
    }
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
  });

  test("a request that leaves cancels its extraction; nothing is memoised", async () => {
    const id = await createArticle(longBody(5));
    await until(() => cpuPool().pending === 0);
    const { runs, cancelled } = extractionStats;
    const client = new AbortController();
    const request = post(proposalsQuery(1), { id }, { signal: client.signal }).catch((err: Error) => err);
    await until(() => extractionStats.runs > runs);
    client.abort();
    expect(await request).toMatchObject({ name: "AbortError" });
    await until(() => extractionStats.cancelled > cancelled && cpuPool().pending === 0);
    // The run was dropped, not finished in the background: the next request extracts again.
    await server.gql(proposalsQuery(1), { id });
    expect(extractionStats.runs).toBe(runs + 2);
  });

  test("re-anchoring quotes too long for approximate matching is bounded: EXACT where verbatim, else ORPHANED", async () => {
    const body = longBody(6);
    const id = await createArticle(body);
    const long = MAX_FUZZY_QUOTE_CHARS + 500;
    const starts = [0, 10_000, 20_000, 30_000, 40_000];
    for (const start of starts) {
      const { body: res } = await server.gql(CLAIM, { input: { articleId: id, sourceId, text: `long quote at ${start}`, kind: "PARAPHRASE", quote: body.slice(start, start + long) } }, editor);
      expect(res.data.claimCreate.userErrors).toEqual([]);
    }
    // One character changed inside the first three quotes: a fuzzy match would find each of them at once.
    let corrected = body;
    for (const start of starts.slice(0, 3)) corrected = corrected.slice(0, start + 100) + "#" + corrected.slice(start + 101);
    const { body: res } = await server.gql(UPDATE, { input: { articleId: id, body: corrected } }, editor);
    expect(res.data.articleUpdate.userErrors).toEqual([]);
    expect(res.data.articleUpdate.reanchoring).toEqual({ exact: 2, fuzzy: 0, orphaned: 3 });
  });

  test("an articleUpdate whose client leaves during re-anchoring stops its worker, and changes nothing", async () => {
    // A repetitive body makes approximate matching slow (tens of thousands of candidate matches per quote).
    const body = `${"a".repeat(20_000)}b${"a".repeat(20_000)}`;
    const id = await createArticle(body);
    for (const length of [200, 220, 240, 260]) {
      const quote = body.slice(20_001 - length, 20_001);
      const { body: res } = await server.gql(CLAIM, { input: { articleId: id, sourceId, text: `quote ${length}`, kind: "PARAPHRASE", quote } }, editor);
      expect(res.data.claimCreate.userErrors).toEqual([]);
    }
    const before = (await server.gql(ANCHORS, { id })).body.data.article;
    await until(() => cpuPool().pending === 0);
    // The request timeout aborts the same signal as a client that leaves (src/http/app.ts).
    const client = new AbortController();
    const request = post(UPDATE, { input: { articleId: id, body: body.replace("b", "c") } }, { signal: client.signal }, editor).catch((err: Error) => err);
    await until(() => cpuPool().pending > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    client.abort();
    expect(await request).toMatchObject({ name: "AbortError" });
    // The worker was stopped with the request, and the transaction rolled back.
    await until(() => cpuPool().pending === 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = (await server.gql(ANCHORS, { id })).body.data.article;
    expect(after).toEqual(before);
    expect(after.body).toBe(body);
  });
});
