import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

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
    return { data: body.data, statements: server.queries.length };
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
});
