import { idOf, toGlobalId } from "../src/graphql/globalId";
import { databaseKinds, requestStatements, startServer, type TestServer } from "./support/harness";

// Claim lists nested under a list (each source's or event's claims) are read in one statement per
// field (and their counts in one more), whatever the number of parents, and answer what each parent alone answers.
describe.each(databaseKinds())("nested claim lists on %s", (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    // Writes here go straight to SQL; the response cache hears of them by NOTIFY, a moment later,
    // so answers are compared with SQL without it (its invalidation by NOTIFY is tested in responseCache.test.ts).
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0" } });
  });
  afterAll(() => server?.close());

  async function run(query: string, variables?: Record<string, unknown>) {
    server.queries.length = 0;
    const { body } = await server.gql(query, variables);
    expect(body.errors).toBeUndefined();
    return { data: body.data, queries: requestStatements(server.queries).length };
  }

  // The list's own page, then per nested field one page statement and at most one count (none when
  // every parent's page holds all its claims), whatever the number of parents.
  const AT_MOST = 1 + 2 * 2;

  const SOURCES = `query($first: Int) { sources(first: $first) { nodes { id
    claims(first: 2) { totalCount totalCountIsExact nodes { text status } pageInfo { hasNextPage endCursor } }
    open: claims(first: 1, status: [UNVERIFIED, IN_REVIEW]) { totalCount nodes { text } } } } }`;

  test("sources' claims: at most one page and one count statement per field for 2 and 18 sources, each page as the source alone gives it", async () => {
    const few = await run(SOURCES, { first: 2 });
    const many = await run(SOURCES, { first: 18 });
    expect(many.data.sources.nodes.length).toBeGreaterThan(10);
    expect(few.queries).toBeLessThanOrEqual(AT_MOST);
    expect(many.queries).toBeLessThanOrEqual(AT_MOST);
    for (const source of many.data.sources.nodes) {
      const alone = await run(
        `query($id: ID!) { node(id: $id) { ... on Source {
          claims(first: 2) { totalCount totalCountIsExact nodes { text status } pageInfo { hasNextPage endCursor } }
          open: claims(first: 1, status: [UNVERIFIED, IN_REVIEW]) { totalCount nodes { text } } } } }`,
        { id: source.id },
      );
      expect(alone.data.node).toEqual({ claims: source.claims, open: source.open });
      const next = await run(`query($id: ID!, $after: String) { node(id: $id) { ... on Source { claims(first: 100, after: $after) { nodes { text } } } } }`, {
        id: source.id,
        after: source.claims.pageInfo.endCursor,
      });
      const total = source.claims.nodes.length + (source.claims.pageInfo.hasNextPage ? next.data.node.claims.nodes.length : 0);
      expect(total).toBe(source.claims.totalCount);
    }
  });

  const EVENTS = `query($first: Int) { events(first: $first) { nodes { id
    claims(first: 3) { totalCount nodes { text source { name } } }
    justifying: claims(linkType: JUSTIFIES) { totalCount nodes { text } } } } }`;

  test("events' claims: at most one page and one count statement per field for 2 and 17 events, each page as the event alone gives it", async () => {
    const few = await run(EVENTS, { first: 2 });
    const many = await run(EVENTS, { first: 17 });
    expect(few.queries).toBeLessThanOrEqual(AT_MOST);
    expect(many.queries).toBeLessThanOrEqual(AT_MOST);
    const linked = many.data.events.nodes.filter((e: any) => e.claims.totalCount > 0);
    expect(linked.length).toBeGreaterThan(1);
    for (const event of many.data.events.nodes) {
      const alone = await run(
        `query($id: ID!) { node(id: $id) { ... on Event {
          claims(first: 3) { totalCount nodes { text source { name } } }
          justifying: claims(linkType: JUSTIFIES) { totalCount nodes { text } } } } }`,
        { id: event.id },
      );
      expect(alone.data.node).toEqual({ claims: event.claims, justifying: event.justifying });
      const [{ n }] = await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(DISTINCT c.id)::int AS n FROM claim_event ce JOIN claim c ON c.id = ce.claim_id WHERE ce.event_id = $1::uuid AND c.retired_at IS NULL`,
        idOf("Event", event.id),
      );
      expect(event.claims.totalCount).toBe(n);
      expect(event.claims.nodes.map((c: { text: string }) => c.text)).toEqual(await newestLinked(idOf("Event", event.id)!, 3));
    }
  });

  async function newestLinked(eventId: string, limit: number): Promise<string[]> {
    const rows = await server.db.prisma.$queryRawUnsafe<{ text: string }[]>(
      `SELECT text FROM claim c WHERE c.retired_at IS NULL AND EXISTS (SELECT 1 FROM claim_event ce WHERE ce.claim_id = c.id AND ce.event_id = $1::uuid)
       ORDER BY c.said_at DESC, c.id DESC LIMIT ${limit}`,
      eventId,
    );
    return rows.map((r) => r.text);
  }

  test("an event's claims follow a claim's new date, however it was written", async () => {
    const [{ eventId, claimId }] = await server.db.prisma.$queryRawUnsafe<{ eventId: string; claimId: string }[]>(
      `SELECT event_id::text AS "eventId", min(claim_id::text) AS "claimId" FROM claim_event GROUP BY event_id HAVING count(*) > 1 LIMIT 1`,
    );
    await server.db.prisma.$executeRawUnsafe(`UPDATE claim SET said_at = '2031-01-01' WHERE id = $1::uuid`, claimId);
    const { data } = await run(`query($id: ID!) { node(id: $id) { ... on Event { claims(first: 2) { nodes { text } } } } }`, {
      id: toGlobalId("Event", eventId),
    });
    const texts = data.node.claims.nodes.map((c: { text: string }) => c.text);
    expect(texts).toEqual(await newestLinked(eventId, 2));
    const [{ text }] = await server.db.prisma.$queryRawUnsafe<{ text: string }[]>(`SELECT text FROM claim WHERE id = $1::uuid`, claimId);
    expect(texts[0]).toBe(text);
  });
});
