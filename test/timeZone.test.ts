// Timestamps are stored as UTC in `timestamp` columns. The claim lists read them without Prisma
// (straight from the pg pool on PostgreSQL), so a server running in another time zone must still
// read, and page by, exactly the instants Prisma writes. jest.config.js runs the suite off UTC.

import { databaseKinds, startServer, type TestServer } from "./support/harness";

const PAGE = `query($after: String) {
  claims(first: 7, after: $after, orderBy: NEWEST, filter: { includeRetired: true }) {
    edges { node { id saidAt createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(databaseKinds())("dates in a non-UTC process time zone on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { seed: true });
  });
  afterAll(() => server.close());

  test("the process really runs off UTC", () => {
    expect(new Date(2020, 0, 1).getTimezoneOffset()).not.toBe(0);
  });

  test("a list and a single claim (read by id) agree on every instant, and pages cover every claim once", async () => {
    const seen: { id: string; saidAt: string; createdAt: string }[] = [];
    let after: string | null = null;
    do {
      const { body } = await server.gql(PAGE, { after });
      expect(body.errors).toBeUndefined();
      seen.push(...body.data.claims.edges.map((e: { node: { id: string; saidAt: string; createdAt: string } }) => e.node));
      after = body.data.claims.pageInfo.hasNextPage ? body.data.claims.pageInfo.endCursor : null;
    } while (after);

    const { body: count } = await server.gql(`{ claims(filter: { includeRetired: true }) { totalCount } }`);
    expect(new Set(seen.map((c) => c.id)).size).toBe(count.data.claims.totalCount);
    expect(seen.length).toBe(count.data.claims.totalCount);

    for (const claim of seen.slice(0, 5)) {
      const { body } = await server.gql(`query($id: ID!) { claim(id: $id) { saidAt createdAt } }`, { id: claim.id });
      expect(body.data.claim).toEqual({ saidAt: claim.saidAt, createdAt: claim.createdAt });
    }
    // Newest first, by the instant itself: a time zone slip would break the order at the page seams.
    const instants = seen.map((c) => Date.parse(c.saidAt));
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
  });
});
