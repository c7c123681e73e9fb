// Reads go through hand-written SQL (src/*/sql.ts), not Prisma: every row must come back exactly as
// Prisma returns it — same fields, enums as strings, Dates, arrays, nulls — and every list must
// match, filter by filter and page by page, what Prisma's where-clause and orderBy return.

import type { Prisma } from "../src/generated/prisma/client";
import { encodeCursor, type Connection, type CursorValue } from "../src/db/paging";
import { createServices } from "../src/app/services";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/** Rows grouped by a key, as the loaders group them (rows of different keys may tie in the order). */
function grouped<T>(rows: T[], keyOf: (row: T) => string): Record<string, T[]> {
  const groups: Record<string, T[]> = {};
  for (const row of rows) (groups[keyOf(row)] ??= []).push(row);
  return groups;
}

/**
 * Every row of a list, read in pages of one through the cursors (so every tie in the sort key falls
 * across a page boundary), checking that each cursor has the format clients already hold (the sort
 * key's values, timestamps as ISO strings); and the list's total.
 */
async function walk<T>(list: (after: string | null) => Promise<Connection<T>>, cursorOf: (row: T) => CursorValue[]) {
  const rows: T[] = [];
  for (let after: string | null = null; ; ) {
    const page = await list(after);
    rows.push(...page.nodes);
    if (page.nodes.length) expect(page.pageInfo.endCursor).toBe(encodeCursor(cursorOf(page.nodes[page.nodes.length - 1])));
    if (!page.pageInfo.hasNextPage) return { rows, total: await page.totalCount() };
    after = page.pageInfo.endCursor;
  }
}

describe.each(databaseKinds())("rows read by hand-written SQL on %s match Prisma's", (kind) => {
  let server: TestServer;
  let services: ReturnType<typeof createServices>;

  beforeAll(async () => {
    server = await startServer(kind);
    services = createServices(server.db);
    const editor = await createKey(server, "EDITOR", "Row editor");
    const { body } = await server.gql(`{ claims(first: 3) { nodes { id } } }`);
    const [first, second, third] = body.data.claims.nodes.map((n: { id: string }) => n.id);
    // Verdict changes with and without rationale, evidence, statuses and attributions, and a retired claim.
    const steps: [string, Record<string, unknown>][] = [
      ["claimSetStatus", { claimId: first, status: "IN_REVIEW" }],
      ["claimSetStatus", { claimId: first, status: "MISLEADING", rationale: "Omits context.", evidenceUrls: ["https://example.org/a", "https://example.org/b"] }],
      ["claimSetAttribution", { claimId: second, attribution: "CONFIRMED_PRIMARY", rationale: "On the record." }],
      ["claimRetire", { claimId: third }],
    ];
    for (const [mutation, input] of steps) {
      const { body: result } = await server.gql(
        `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { userErrors { code message } } }`,
        { input },
        editor,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data[mutation].userErrors).toEqual([]);
    }
  });
  afterAll(() => server?.close());

  /** Rows the seed lacks: ties in every sort key, and titles and names with LIKE's wildcards in them. */
  let fixtures: { eventIds: string[]; sourceIds: string[]; affiliationId: string };
  beforeAll(async () => {
    const { prisma } = server.db;
    const article = (n: number, title: string, publication: string, publishedAt: string) =>
      prisma.article.create({
        data: { url: `https://example.org/row-${n}`, slug: `row-${n}`, title, publication, authors: [], publishedAt: new Date(publishedAt), body: `Body ${n}.`, contentHash: `hash-${n}` },
      });
    const tied = "2024-02-01T10:00:00.000Z";
    const articles = [
      await article(1, "Tie one: 100% of the TALKS", "Row Times", tied),
      await article(2, "Tie two: 1000 talks", "Row Times", tied),
      await article(3, "A snake_case talk", "Row Post", "2024-03-01T00:00:00.000Z"),
      await article(4, "A snakeXcase talk", "Row Post", "2024-03-02T00:00:00.000Z"),
    ];
    const affiliation = await prisma.source.findFirstOrThrow({ orderBy: { slug: "asc" } });
    const sources = [
      await prisma.source.create({ data: { slug: "tie-source-a", name: "Tie Source", kind: "THINK_TANK", affiliationId: affiliation.id, aliases: { create: [{ alias: "Second_Name%", normalized: "second_name%" }] } } }),
      await prisma.source.create({ data: { slug: "tie-source-b", name: "Tie Source", kind: "THINK_TANK", affiliationId: affiliation.id } }),
    ];
    const event = (slug: string) =>
      prisma.event.create({
        data: {
          slug, title: slug, description: "A tie.", kind: "PROTEST", occurredAt: new Date("2019-06-01T00:00:00.000Z"), occurredPrecision: "DAY",
          sources: { create: sources.map((s, i) => ({ sourceId: s.id, role: `role ${i}` })) },
        },
      });
    const events = [await event("row-tie-one"), await event("row-tie-two")];
    await prisma.articleEvent.createMany({
      data: [
        { articleId: articles[0].id, eventId: events[0].id, dateAsWritten: "June 1", discrepancy: null },
        { articleId: articles[1].id, eventId: events[0].id, dateAsWritten: null, discrepancy: "Says May." },
        { articleId: articles[0].id, eventId: events[1].id },
      ],
    });
    fixtures = { eventIds: events.map((e) => e.id), sourceIds: sources.map((s) => s.id), affiliationId: affiliation.id };
  });

  test("claims", async () => {
    const prisma = await server.db.prisma.claim.findMany();
    expect(prisma.some((c) => c.retiredAt !== null)).toBe(true);
    expect(byId(await services.claims.byIds(prisma.map((c) => c.id)))).toEqual(byId(prisma));
  });

  test("articles' claims, in quote order, with and without retired ones", async () => {
    const articleIds = (await server.db.prisma.article.findMany({ select: { id: true } })).map((a) => a.id);
    for (const includeRetired of [false, true]) {
      const prisma = await server.db.prisma.claim.findMany({
        where: { articleId: { in: articleIds }, ...(includeRetired ? {} : { retiredAt: null }) },
        orderBy: [{ quoteStart: "asc" }, { id: "asc" }],
      });
      expect(prisma.some((c) => c.retiredAt !== null)).toBe(includeRetired);
      expect(await services.claims.byArticle(articleIds, includeRetired)).toEqual(prisma);
    }
  });

  test("sources", async () => {
    const prisma = await server.db.prisma.source.findMany();
    expect(prisma.some((s) => s.affiliationId !== null) && prisma.some((s) => s.role === null)).toBe(true);
    expect(byId(await services.sources.byIds(prisma.map((s) => s.id)))).toEqual(byId(prisma));
  });

  test("articles, without their bodies", async () => {
    const prisma = await server.db.prisma.article.findMany({ omit: { body: true } });
    expect(byId(await services.articles.byIds(prisma.map((a) => a.id)))).toEqual(byId(prisma));
  });

  test("verdict changes, by id and as each claim's history (newest first)", async () => {
    const prisma = await server.db.prisma.verdictChange.findMany({ orderBy: [{ claimId: "asc" }, { createdAt: "desc" }, { id: "desc" }] });
    expect(prisma.length).toBeGreaterThanOrEqual(3);
    expect(prisma.some((v) => v.evidenceUrls.length === 2) && prisma.some((v) => v.toStatus === null)).toBe(true);
    expect(byId(await services.claims.verdictChangesByIds(prisma.map((v) => v.id)))).toEqual(byId(prisma));
    expect(await services.claims.historyFor([...new Set(prisma.map((v) => v.claimId))])).toEqual(prisma);
  });

  test("a claim with its history in one statement (with two changes, one, and none)", async () => {
    const claims = await server.db.prisma.claim.findMany({ include: { history: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] } } });
    const sizes = new Set(claims.map((c) => Math.min(c.history.length, 2)));
    expect([...sizes].sort()).toEqual([0, 1, 2]);
    for (const { history, ...claim } of claims) {
      expect(await services.claims.withHistory(claim.id)).toEqual({ claim, history });
    }
  });

  test("events", async () => {
    const prisma = await server.db.prisma.event.findMany();
    expect(prisma.some((e) => e.location === null) && prisma.some((e) => e.referenceUrls.length > 0)).toBe(true);
    expect(byId(await services.events.byIds(prisma.map((e) => e.id)))).toEqual(byId(prisma));
  });

  test("an article by slug and by URL, and article bodies", async () => {
    const prisma = await server.db.prisma.article.findMany({ omit: { body: true } });
    for (const article of prisma) {
      expect(await services.articles.find({ slug: article.slug })).toEqual(article);
      expect(await services.articles.find({ url: article.url })).toEqual(article);
    }
    expect(await services.articles.find({ slug: "no-such-article" })).toBeNull();
    const bodies = await server.db.prisma.article.findMany({ select: { id: true, body: true } });
    expect(byId(await services.articles.bodies(bodies.map((a) => a.id)))).toEqual(byId(bodies));
  });

  test("event mentions per article and per event, and event participants, each in Prisma's order", async () => {
    const { prisma } = server.db;
    const articleIds = (await prisma.article.findMany({ select: { id: true } })).map((a) => a.id);
    const eventIds = (await prisma.event.findMany({ select: { id: true } })).map((e) => e.id);
    const byArticle = await prisma.articleEvent.findMany({
      where: { articleId: { in: articleIds } },
      orderBy: [{ event: { occurredAt: "asc" } }, { eventId: "asc" }],
    });
    expect(byArticle.some((m) => m.dateAsWritten === null) && byArticle.some((m) => m.discrepancy !== null)).toBe(true);
    expect(grouped(await services.articles.mentionsFor(articleIds), (m) => m.articleId)).toEqual(grouped(byArticle, (m) => m.articleId));
    const byEvent = await prisma.articleEvent.findMany({
      where: { eventId: { in: eventIds } },
      orderBy: [{ article: { publishedAt: "desc" } }, { articleId: "asc" }],
    });
    expect(grouped(await services.events.mentionsFor(eventIds), (m) => m.eventId)).toEqual(grouped(byEvent, (m) => m.eventId));
    // Prisma's order had no tie-break; the SQL's is the source id.
    const participants = await prisma.eventSource.findMany({
      where: { eventId: { in: eventIds } },
      orderBy: [{ source: { name: "asc" } }, { sourceId: "asc" }],
    });
    expect(participants.length).toBeGreaterThan(fixtures.sourceIds.length);
    expect(grouped(await services.events.participantsFor(eventIds), (p) => p.eventId)).toEqual(grouped(participants, (p) => p.eventId));
  });

  test("article lists, filtered and page by page", async () => {
    const { prisma } = server.db;
    const insensitive = (contains: string) => ({ contains, mode: "insensitive" as const });
    const cases: [Parameters<typeof services.articles.list>[0]["filter"], Prisma.ArticleWhereInput, number?][] = [
      [null, {}],
      // `%` and `_` are literal: "100%" is not "1000", "snake_case" is not "snakeXcase".
      [{ search: " 100% " }, { title: insensitive("100\\%") }, 1],
      [{ search: "SNAKE_CASE" }, { title: insensitive("snake\\_case") }, 1],
      [{ search: "talks", publication: "Row Times" }, { title: insensitive("talks"), publication: "Row Times" }, 2],
      [{ eventId: fixtures.eventIds[0] }, { events: { some: { eventId: fixtures.eventIds[0] } } }, 2],
    ];
    for (const [filter, where, expected] of cases) {
      const prismaRows = await prisma.article.findMany({ where, orderBy: [{ publishedAt: "desc" }, { id: "desc" }], omit: { body: true } });
      if (expected !== undefined) expect(prismaRows).toHaveLength(expected);
      const { rows, total } = await walk((after) => services.articles.list({ filter, first: 1, after }), (a) => [a.publishedAt.toISOString(), a.id]);
      expect(rows).toEqual(prismaRows);
      expect(total).toBe(await prisma.article.count({ where }));
    }
  });

  test("the timeline, filtered and page by page", async () => {
    const { prisma } = server.db;
    const from = new Date("2018-05-01T00:00:00.000Z");
    const to = new Date("2019-06-01T00:00:00.001Z");
    const cases: [Parameters<typeof services.events.list>[0]["filter"], Prisma.EventWhereInput][] = [
      [null, {}],
      [{ kind: ["PROTEST", "POLICY", "PROTEST"] }, { kind: { in: ["PROTEST", "POLICY", "PROTEST"] } }],
      [{ from, to }, { occurredAt: { gte: from, lt: to } }],
      [{ to: from }, { occurredAt: { lt: from } }],
      [{ sourceId: fixtures.sourceIds[1], from }, { sources: { some: { sourceId: fixtures.sourceIds[1] } }, occurredAt: { gte: from } }],
    ];
    for (const [filter, where] of cases) {
      const prismaRows = await prisma.event.findMany({ where, orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
      expect(prismaRows.length).toBeGreaterThan(0);
      const { rows, total } = await walk((after) => services.events.list({ filter, first: 1, after }), (e) => [e.occurredAt.toISOString(), e.id]);
      expect(rows).toEqual(prismaRows);
      expect(total).toBe(await prisma.event.count({ where }));
    }
  });

  test("the source directory, filtered and page by page", async () => {
    const { prisma } = server.db;
    // The search matches the name as typed, case-insensitive, or the slug or an alias key as normalized.
    const search = (name: string, key: string): Prisma.SourceWhereInput => ({
      OR: [
        { name: { contains: name, mode: "insensitive" } },
        { slug: { contains: key.replace(/\s+/g, "-") } },
        { aliases: { some: { normalized: { contains: key } } } },
      ],
    });
    const cases: [Parameters<typeof services.sources.list>[0]["filter"], Prisma.SourceWhereInput, number?][] = [
      [null, {}],
      [{ search: "TIE source" }, search("TIE source", "tie source"), 2],
      [{ search: "Tie Source B" }, search("Tie Source B", "tie source b"), 1],
      [{ search: " Second_Name% " }, search("Second\\_Name\\%", "second\\_name\\%"), 1],
      [{ search: "pentagon" }, search("pentagon", "pentagon")],
      [{ kind: ["THINK_TANK", "MEDIA"] }, { kind: { in: ["THINK_TANK", "MEDIA"] } }],
      [{ affiliationId: fixtures.affiliationId, kind: ["THINK_TANK"] }, { affiliationId: fixtures.affiliationId, kind: { in: ["THINK_TANK"] } }, 2],
    ];
    for (const [filter, where, expected] of cases) {
      const prismaRows = await prisma.source.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }] });
      expect(prismaRows.length).toBeGreaterThan(0);
      if (expected !== undefined) expect(prismaRows).toHaveLength(expected);
      const { rows, total } = await walk((after) => services.sources.list({ filter, first: 1, after }), (s) => [s.name, s.id]);
      expect(rows).toEqual(prismaRows);
      expect(total).toBe(await prisma.source.count({ where }));
    }
  });

  test("unknown ids give no rows", async () => {
    expect(await services.claims.byIds(["00000000-0000-7000-8000-000000000000"])).toEqual([]);
    expect(await services.claims.withHistory("00000000-0000-7000-8000-000000000000")).toBeNull();
  });
});
