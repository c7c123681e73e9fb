import { createKey, databaseKinds, requestStatements, startServer, type TestServer } from "./support/harness";

// A screen that needs one statement is answered with one: a claim page (the claim with its verdict
// history), with the same answer as the claim and its history read apart.
describe.each(databaseKinds())("one statement per screen on %s", (kind) => {
  let server: TestServer;
  let claimIds: string[];

  beforeAll(async () => {
    server = await startServer(kind);
    const editor = await createKey(server, "EDITOR", "Screen editor");
    const { body } = await server.gql(`{ claims(first: 3) { nodes { id } } }`);
    claimIds = body.data.claims.nodes.map((n: { id: string }) => n.id);
    // Two verdict changes on the first claim, one on the second, none on the third.
    for (const [claimId, status] of [[claimIds[0], "IN_REVIEW"], [claimIds[0], "MISLEADING"], [claimIds[1], "FALSE"]]) {
      const { body: result } = await server.gql(
        `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { userErrors { code } } }`,
        { input: { claimId, status, rationale: "Checked against the record." } },
        editor,
      );
      expect(result.data.claimSetStatus.userErrors).toEqual([]);
    }
  });
  afterAll(() => server?.close());

  async function run(query: string, variables: Record<string, unknown>) {
    server.queries.length = 0;
    const { body } = await server.gql(query, variables);
    expect(body.errors).toBeUndefined();
    return { data: body.data, statements: requestStatements(server.queries).length };
  }

  const HISTORY = `text status history { id toStatus rationale changedBy createdAt }`;

  test("a claim page (the claim and its history) is one statement, answering what the separate reads answer", async () => {
    for (const [i, id] of claimIds.entries()) {
      const page = await run(`query($id: ID!) { claim(id: $id) { ${HISTORY} } }`, { id });
      expect(page.statements).toBe(1);
      expect(page.data.claim.history).toHaveLength([2, 1, 0][i]);
      // Through node(id:), the claim and its history are read by their loaders: two statements.
      const apart = await run(`query($id: ID!) { node(id: $id) { ... on Claim { ${HISTORY} } } }`, { id });
      expect(apart.statements).toBe(2);
      expect(page.data.claim).toEqual(apart.data.node);
    }
    const missing = await run(`query($id: ID!) { claim(id: $id) { ${HISTORY} } }`, { id: claimIds[0].replace(/.$/, (c) => (c === "A" ? "B" : "A")) });
    expect(missing.data.claim).toBeNull();
  });

  test("a claim without its history selected is read alone", async () => {
    const page = await run(`query($id: ID!) { claim(id: $id) { text status } }`, { id: claimIds[0] });
    expect(page.statements).toBe(1);
  });

  const LIST = `query($f: ClaimFilter, $o: ClaimOrder, $after: String, $first: Int) {
    claims(filter: $f, orderBy: $o, first: $first, after: $after) { totalCount totalCountIsExact nodes { id text status } pageInfo { hasNextPage endCursor } } }`;

  test("a list page with its counter-covered totalCount is one statement, in every order and page by page", async () => {
    const filters = [{}, { status: ["UNVERIFIED", "IN_REVIEW"] }, { includeRetired: true }];
    for (const f of filters) {
      for (const o of ["NEWEST", "OLDEST", "STATUS", "ACTOR"]) {
        const all = await run(LIST, { f, o, first: 100 });
        const total = all.data.claims.totalCount;
        expect(all.data.claims.pageInfo.hasNextPage).toBe(false);
        expect(total).toBe(all.data.claims.nodes.length);
        let after: string | null = null;
        const seen: string[] = [];
        do {
          const page = await run(LIST, { f, o, first: 2, after });
          expect(page.data.claims.totalCount).toBe(total);
          expect(page.data.claims.totalCountIsExact).toBe(true);
          // One statement for the page and its total; after the last page, an empty page counts apart.
          expect(page.statements).toBe(page.data.claims.nodes.length ? 1 : 2);
          seen.push(...page.data.claims.nodes.map((n: { id: string }) => n.id));
          after = page.data.claims.pageInfo.hasNextPage ? page.data.claims.pageInfo.endCursor : null;
        } while (after);
        expect(seen).toEqual(all.data.claims.nodes.map((n: { id: string }) => n.id));
      }
    }
  });

  test("a list page without totalCount, or with a filter the counters do not cover, reads no counter total in its statement", async () => {
    const plain = await run(LIST.replace("totalCount totalCountIsExact", ""), { first: 2 });
    expect(plain.statements).toBe(1);
    // A word of the first claim that English full-text search keeps (not a stop word such as "which":
    // the first claim varies between runs, its id being generated at seeding).
    const words: string[] = (await run(LIST, { first: 1 })).data.claims.nodes[0].text.split(/\W+/).filter((w: string) => w.length > 4);
    const kept = await server.db.prisma.$queryRawUnsafe<{ w: string }[]>(
      `SELECT w FROM unnest($1::text[]) WITH ORDINALITY AS t(w, i) WHERE numnode(websearch_to_tsquery('english', w)) > 0 ORDER BY i LIMIT 1`,
      words,
    );
    const searched = await run(LIST, { f: { search: kept[0].w }, first: 1 });
    const [{ n }] = await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM claim WHERE retired_at IS NULL AND to_tsvector('english', text) @@ websearch_to_tsquery('english', $1)`,
      kept[0].w,
    );
    expect(n).toBeGreaterThanOrEqual(1);
    expect(searched.data.claims.totalCount).toBe(n);
  });

  const ACTOR = `query($id: ID!, $first: Int, $status: [VerificationStatus!]) { source(id: $id) { id name role
    claims(first: $first, status: $status) { totalCount nodes { id text status saidAt source { name } article { title } } pageInfo { hasNextPage endCursor } } } }`;

  test("an actor's page (the source and its first claims) is one statement, answering what the source and its claims read apart answer", async () => {
    const { data } = await run(`{ sources(first: 50) { nodes { id claims(first: 1) { totalCount } } } }`, {});
    const sources = data.sources.nodes.filter((s: { claims: { totalCount: number } }) => s.claims.totalCount > 0).slice(0, 3);
    expect(sources.length).toBeGreaterThan(0);
    for (const { id } of [...sources, data.sources.nodes.find((s: { claims: { totalCount: number } }) => s.claims.totalCount === 0) ?? sources[0]]) {
      for (const variables of [{ id, first: 2 }, { id, first: 50 }, { id, first: 2, status: ["UNVERIFIED"] }]) {
        const page = await run(ACTOR, variables);
        // The page and the source in one statement; the total (when the page does not hold every claim) in one more.
        const whole = !page.data.source.claims.pageInfo.hasNextPage;
        expect(page.statements).toBe(whole ? 1 : 2);
        const apart = await run(ACTOR.replace("source(id: $id)", "node(id: $id) { ... on Source").replace(/} } } }$/, "} } } } }"), variables);
        expect(page.data.source).toEqual(apart.data.node);
      }
    }
    const none = await run(ACTOR, { id: "U291cmNlOjAwMDAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA", first: 2 });
    expect(none.data.source).toBeNull();
  });

  const ARTICLE_PAGE = `title publication body
    claims(includeRetired: $retired) { id text kind source { name } quote { start end exact prefix suffix } }
    events { dateAsWritten discrepancy event { id title occurredAt occurredPrecision } }`;

  test("an article's page (the article, its body, its claims with their sources and quotes, its events) is one statement, answering what the loaders read apart answer", async () => {
    const { data } = await run(`{ articles(first: 100) { nodes { id slug url events { dateAsWritten } claims(includeRetired: true) { id } } } }`, {});
    type Listed = { id: string; slug: string; url: string; events: unknown[]; claims: unknown[] };
    const articles: Listed[] = data.articles.nodes;
    // Articles with events and claims (the seed has some), and one without events.
    const full = articles.filter((a) => a.events.length > 0 && a.claims.length > 0).slice(0, 3);
    expect(full.length).toBeGreaterThan(0);
    for (const { id, slug, url } of [...full, ...articles.filter((a) => a.events.length === 0).slice(0, 1)]) {
      for (const retired of [false, true]) {
        const page = await run(`query($slug: String!, $retired: Boolean) { article(slug: $slug) { ${ARTICLE_PAGE} } }`, { slug, retired });
        expect(page.statements).toBe(1);
        // By ID and URL as well.
        const byId = await run(`query($id: ID!, $retired: Boolean) { article(id: $id) { ${ARTICLE_PAGE} } }`, { id, retired });
        const byUrl = await run(`query($url: URL!, $retired: Boolean) { article(url: $url) { ${ARTICLE_PAGE} } }`, { url, retired });
        expect([byId.statements, byUrl.statements]).toEqual([1, 1]);
        // Through node(id:), the article and its lists are read by their loaders: several statements.
        const apart = await run(`query($id: ID!, $retired: Boolean) { node(id: $id) { ... on Article { ${ARTICLE_PAGE} } } }`, { id, retired });
        expect(apart.statements).toBeGreaterThan(1);
        expect(page.data.article).toEqual(apart.data.node);
        expect(byId.data.article).toEqual(apart.data.node);
        expect(byUrl.data.article).toEqual(apart.data.node);
      }
    }
    const missing = await run(`query($slug: String!, $retired: Boolean) { article(slug: $slug) { ${ARTICLE_PAGE} } }`, { slug: "no-such-article", retired: false });
    expect(missing.data.article).toBeNull();
    expect(missing.statements).toBe(1);
  });

  test("an article page with only its events, or two claim lists, reads what it selects", async () => {
    const { data } = await run(`{ articles(first: 1) { nodes { slug } } }`, {});
    const slug = data.articles.nodes[0].slug;
    const events = await run(`query($slug: String!) { article(slug: $slug) { title events { event { title } } } }`, { slug });
    expect(events.statements).toBe(1);
    // Two claim lists with different arguments: the first is read with the page, the other by its loader.
    const both = await run(`query($slug: String!) { article(slug: $slug) { current: claims { id } all: claims(includeRetired: true) { id } } }`, { slug });
    expect(both.statements).toBe(2);
    const apart = await run(`query($slug: String!) { article(slug: $slug) { id } current: articles(first: 1) { nodes { claims { id } } } }`, { slug });
    expect(both.data.article.current).toEqual(apart.data.current.nodes[0].claims);
    const plain = await run(`query($slug: String!) { article(slug: $slug) { title body } }`, { slug });
    expect(plain.statements).toBe(2);
  });
});
