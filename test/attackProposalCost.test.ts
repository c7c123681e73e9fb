import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the review round (2026-12-07). The proposalInputs loader read the whole source catalogue
// (every source and alias) once per article, so one anonymous query over 19 articles read it 19 times:
// with 20,000 sources on PostgreSQL it was answered 503 (no database connection free) and cost some
// 4.5 s of CPU even with every extraction memoised; at 2,000 sources 0.94 s against 0.13 s now.
const CREATE = `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } } }`;

describe.each(databaseKinds())("the cost of proposals over many articles (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("one query over several articles reads the source catalogue once", async () => {
    const editor = await createKey(server, "EDITOR");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const input = { url: `https://example.org/cost/${i}`, title: `Cost ${i}`, publication: "W", authors: ["A"], publishedAt: "2026-11-02T00:00:00Z", body: `“Point ${i} stands,” said Anna Berg.` };
      ids.push((await server.gql(CREATE, { input }, editor)).body.data.articleCreate.article.id);
    }
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Article { claimProposals { text } } } }`;
    server.queries.length = 0;
    const { body } = await server.gql(query, { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes.map((n: any) => n.claimProposals[0].text)).toEqual(ids.map((_, i) => `Point ${i} stands`));
    // The catalogue is every source: a read of the source table with no condition.
    const catalogueReads = server.queries.filter((sql) => /FROM "public"\."source" WHERE 1=1 /.test(sql));
    expect(catalogueReads).toHaveLength(1);
  });
});
