import { readFileSync } from "node:fs";
import path from "node:path";
import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const CREATE = `mutation($input: ArticleCreateInput!) {
  articleCreate(input: $input) { article { id slug url title authors tags body contentHash } userErrors { field code message } }
}`;
const UPDATE = `mutation($input: ArticleUpdateInput!) {
  articleUpdate(input: $input) { article { id body } reanchoring { exact fuzzy orphaned } userErrors { field code message } }
}`;
const CLAIMS = `query($id: ID!) { article(id: $id) { claims {
  key quote { start end exact anchoring anchorScore }
  history { aspect fromAnchoring toAnchoring anchorScore rationale changedBy }
} } }`;
const seedBody = readFileSync(path.join(DEFAULT_SEED_DIR, "articles/soleimani-strike-push.txt"), "utf8");

describe.each(databaseKinds())("article intake on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let seedArticleId: string;
  const article = (over: Record<string, unknown> = {}) => ({
    url: "https://example.org/news/council-budget",
    title: "Council Approves Budget After Long Debate",
    publication: "Example Daily",
    authors: ["A. Reporter"],
    publishedAt: "2026-11-20T00:00:00Z",
    tags: ["budget"],
    body: "The council approved the budget. “We are pleased,” the mayor said.",
    ...over,
  });
  const claimsOf = async (id: string) => (await server.gql(CLAIMS, { id }, editor)).body.data.article.claims as any[];

  beforeAll(async () => {
    server = await startServer(kind);
    editor = await createKey(server, "EDITOR", "Corrections desk");
    seedArticleId = (await server.gql(`{ article(slug: "soleimani-strike-push") { id } }`)).body.data.article.id;
  });
  afterAll(() => server?.close());

  test("an editor adds an article; the slug comes from the title; a viewer may not", async () => {
    const viewer = await createKey(server, "VIEWER");
    expect((await server.gql(CREATE, { input: article() }, viewer)).body.errors[0].extensions.code).toBe("FORBIDDEN");
    const { body } = await server.gql(CREATE, { input: article() }, editor);
    expect(body.data.articleCreate.userErrors).toEqual([]);
    const created = body.data.articleCreate.article;
    expect(created).toMatchObject({ slug: "council-approves-budget-after-long-debate", authors: ["A. Reporter"], tags: ["budget"] });
    expect(created.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const read = await server.gql(`{ article(url: "https://example.org/news/council-budget") { title body } }`);
    expect(read.body.data.article).toEqual({ title: created.title, body: created.body });
  });

  test("a duplicate URL, an empty body and an oversized body are user errors, and nothing is written", async () => {
    const before = (await server.gql(`{ articles { totalCount } }`)).body.data.articles.totalCount;
    const dup = (await server.gql(CREATE, { input: article({ title: "Other" }) }, editor)).body.data.articleCreate;
    expect(dup).toEqual({ article: null, userErrors: [{ field: ["input", "url"], code: "TAKEN", message: expect.stringMatching(/already exists/) }] });
    const empty = (await server.gql(CREATE, { input: article({ url: "https://example.org/e", body: " \n " }) }, editor)).body.data.articleCreate;
    expect(empty.userErrors).toEqual([{ field: ["input", "body"], code: "INVALID", message: "body must not be empty" }]);
    const huge = (await server.gql(CREATE, { input: article({ url: "https://example.org/h", body: "word ".repeat(12_001) }) }, editor)).body.data
      .articleCreate;
    expect(huge.userErrors[0]).toMatchObject({ field: ["input", "body"], code: "INVALID", message: expect.stringMatching(/at most 60000 characters/) });
    const bad = (await server.gql(CREATE, { input: article({ url: "https://example.org/x", authors: [] }) }, editor)).body.data.articleCreate;
    expect(bad.userErrors[0].field).toEqual(["input", "authors"]);
    expect((await server.gql(`{ articles { totalCount } }`)).body.data.articles.totalCount).toBe(before);
  });

  test("corrections re-anchor every quote, record it in the history, and can be filtered", async () => {
    const before = await claimsOf(seedArticleId);
    const at = (claims: any[], key: string) => claims.find((c) => c.key.endsWith(`/${key}`));
    // A typo fixed before the quotes, a paragraph inserted at the top, a word changed inside one quote,
    // and one quote's sentence deleted — all in one correction.
    const corrected =
      "Update: this article was corrected on January 4.\n\n" +
      seedBody
        .replace("Abdulmahdi", "Abdul-Mahdi")
        .replace("decisive defensive action", "decisive and defensive action")
        .replace("“Iran never won a war, but never lost a negotiation!” Trump wrote cryptically on Friday morning.\n\n", "");
    const { body } = await server.gql(UPDATE, { input: { articleId: seedArticleId, body: corrected } }, editor);
    expect(body.data.articleUpdate.userErrors).toEqual([]);
    expect(body.data.articleUpdate.reanchoring).toEqual({ exact: before.length - 2, fuzzy: 1, orphaned: 1 });

    const after = await claimsOf(seedArticleId);
    const hook = at(after, "hook-handful-of-clerics");
    expect(hook.quote.anchoring).toBe("EXACT");
    expect(corrected.slice(hook.quote.start, hook.quote.end)).toBe(at(before, "hook-handful-of-clerics").quote.exact);
    expect(hook.quote.start).toBe(corrected.indexOf(at(before, "hook-handful-of-clerics").quote.exact));
    expect(hook.quote.start).not.toBe(at(before, "hook-handful-of-clerics").quote.start);
    expect(hook.history[0]).toMatchObject({ aspect: "ANCHORING", fromAnchoring: "EXACT", toAnchoring: "EXACT", changedBy: "Corrections desk" });

    const dod = at(after, "dod-decisive-defensive-action");
    expect(dod.quote.anchoring).toBe("FUZZY");
    expect(dod.quote.anchorScore).toBeGreaterThan(0.75);
    expect(dod.quote.anchorScore).toBeLessThan(1);
    expect(dod.quote.exact).toContain("decisive and defensive action");
    expect(dod.history[0]).toMatchObject({ aspect: "ANCHORING", toAnchoring: "FUZZY", anchorScore: dod.quote.anchorScore });

    const trump = at(after, "trump-iran-never-won-a-war");
    expect(trump.quote).toEqual({ start: null, end: null, exact: "Iran never won a war, but never lost a negotiation!", anchoring: "ORPHANED", anchorScore: null });
    expect(trump.history[0]).toMatchObject({ aspect: "ANCHORING", fromAnchoring: "EXACT", toAnchoring: "ORPHANED", anchorScore: null });

    const review = await server.gql(`{ claims(filter: { anchoring: [FUZZY, ORPHANED] }, first: 50) { totalCount nodes { key quote { anchoring } } } }`);
    expect(review.body.data.claims.totalCount).toBe(2);
    expect(review.body.data.claims.nodes.map((c: any) => c.key).sort()).toEqual([dod.key, trump.key].sort());

    // The same body again changes nothing and records nothing.
    const again = await server.gql(UPDATE, { input: { articleId: seedArticleId, body: corrected } }, editor);
    expect(again.body.data.articleUpdate.reanchoring).toBeNull();
    expect((await claimsOf(seedArticleId)).map((c) => c.history.length)).toEqual(after.map((c) => c.history.length));
  });

  test("a seed refresh restores its claims' anchors and re-anchors the API's claims through the same path", async () => {
    const created = await server.gql(
      `mutation($input: ClaimCreateInput!) { claimCreate(input: $input) { claim { key quote { start anchoring } } userErrors { code } } }`,
      {
        input: {
          articleId: seedArticleId,
          sourceId: (await server.gql(`{ source(slug: "donald-trump") { id } }`)).body.data.source.id,
          text: "Trump approved a prisoner exchange with the Iranian government in December",
          kind: "PARAPHRASE",
        },
      },
      editor,
    );
    expect(created.body.data.claimCreate.userErrors).toEqual([]);
    await runImport(server.db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
    const claims = await claimsOf(seedArticleId);
    expect(claims.every((c) => c.quote.anchoring === "EXACT")).toBe(true);
    const api = claims.find((c) => c.key === created.body.data.claimCreate.claim.key);
    expect(api.quote.start).toBe(seedBody.indexOf("Trump approved a prisoner exchange"));
    expect(api.history[0]).toMatchObject({ aspect: "ANCHORING", changedBy: "seed", toAnchoring: "EXACT" });
    expect((await server.gql(`{ article(id: "${seedArticleId}") { body } }`)).body.data.article.body).toBe(seedBody.replace(/\s+$/, ""));
  });

  test("replacing the article orphans every quote; unknown articles and taken URLs are user errors", async () => {
    const other = await server.gql(`{ article(url: "https://example.org/news/council-budget") { id } }`);
    const taken = await server.gql(UPDATE, { input: { articleId: seedArticleId, url: "https://example.org/news/council-budget" } }, editor);
    expect(taken.body.data.articleUpdate.userErrors[0]).toMatchObject({ code: "TAKEN", field: ["input", "url"] });
    const missing = await server.gql(UPDATE, { input: { articleId: other.body.data.article.id.slice(0, -2) + "xx", title: "x" } }, editor);
    expect(missing.body.data.articleUpdate.userErrors[0].code).toBe("NOT_FOUND");
    const replaced = await server.gql(
      UPDATE,
      { input: { articleId: seedArticleId, body: "A different story about a city council that approved its budget on Tuesday." } },
      editor,
    );
    const count = (await claimsOf(seedArticleId)).length;
    expect(replaced.body.data.articleUpdate.reanchoring).toEqual({ exact: 0, fuzzy: 0, orphaned: count });
    expect((await claimsOf(seedArticleId)).every((c) => c.quote.start === null && c.quote.anchoring === "ORPHANED")).toBe(true);
  });
});
