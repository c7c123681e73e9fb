import { createKey, startServer, type DatabaseKind, type TestServer } from "./harness";

const PROPOSALS = `query($id: ID!, $min: Float) { article(id: $id) { claimProposals(minConfidence: $min) {
  text pattern resolution confidence speaker { text } source { slug } proposedSource { name kind role } } } }`;

/**
 * A server and an editor's key for tests that send short invented articles through `articleCreate`
 * and read their `claimProposals` (registers its own beforeAll/afterAll; call inside a describe).
 */
export function useProposalDesk(kind: DatabaseKind, desk: string) {
  let server: TestServer;
  let editor: string;
  let serial = 0;
  beforeAll(async () => {
    server = await startServer(kind);
    editor = await createKey(server, "EDITOR", desk);
  });
  afterAll(() => server?.close());

  /** Creates an article with `body` and returns its proposals (those at least `minConfidence` confident). */
  async function proposalsFor(body: string, minConfidence = 0): Promise<any[]> {
    serial++;
    const created = await server.gql(
      `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } userErrors { code message } } }`,
      { input: { url: `https://example.org/${desk.replace(/\W+/g, "-")}-${serial}`, title: `${desk} ${serial}`, publication: "Example Wire", authors: ["B. Writer"], publishedAt: "2026-11-04T00:00:00Z", body } },
      editor,
    );
    const id = created.body.data.articleCreate.article.id;
    return (await server.gql(PROPOSALS, { id, min: minConfidence })).body.data.article.claimProposals;
  }
  /** The source (slug) or proposed new source (name) of the proposal whose text holds `words`. */
  const speakerOf = (proposals: any[], words: string) => {
    const found = proposals.find((p) => p.text.includes(words));
    return found ? (found.source?.slug ?? found.proposedSource?.name) : undefined;
  };
  return { proposalsFor, speakerOf };
}
