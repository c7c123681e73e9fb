import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { databaseKinds, requestStatements, startServer, type TestServer } from "./support/harness";

describe.each(databaseKinds())("sources, articles, events and nodes on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterAll(() => server?.close());

  async function query(q: string, variables?: Record<string, unknown>) {
    const { body } = await server.gql(q, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  test("an actor's page: source with affiliation, aliases and claims", async () => {
    const data = await query(`{
      source(slug: "brian-hook") {
        id name role aliases kind wikidataId
        affiliation { slug members { slug } }
        claims(first: 2) { totalCount nodes { text } pageInfo { hasNextPage } }
      }
    }`);
    expect(data.source).toMatchObject({ name: "Brian Hook", kind: "PERSON", aliases: ["Hook"], affiliation: { slug: "state-department" } });
    expect(data.source.affiliation.members.map((m: any) => m.slug)).toEqual(expect.arrayContaining(["brian-hook", "david-schenker"]));
    expect(data.source.claims.totalCount).toBe(3);
    expect(data.source.claims.pageInfo.hasNextPage).toBe(true);
    const byId = await query(`query($id: ID!) { source(id: $id) { slug } }`, { id: data.source.id });
    expect(byId.source.slug).toBe("brian-hook");
  });

  test("source needs exactly one of id and slug", async () => {
    const { body } = await server.gql(`{ source { slug } }`);
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  test("sources list is ordered by name and paginates", async () => {
    const all = await query(`{ sources(first: 100) { totalCount nodes { name } } }`);
    const names = all.sources.nodes.map((n: any) => n.name);
    expect(names.length).toBe(all.sources.totalCount);
    const walked: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await query(`query($after: String) { sources(first: 5, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`, { after });
      walked.push(...page.sources.nodes.map((n: any) => n.name));
      after = page.sources.pageInfo.hasNextPage ? page.sources.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(names);
    const militias = await query(`{ sources(filter: { kind: [MILITIA] }) { nodes { slug } } }`);
    expect(militias.sources.nodes).toEqual([{ slug: "kataib-hezbollah" }]);
  });

  test("an article with its highlighted quotes and the events it mentions, with discrepancies", async () => {
    const data = await query(`{
      article(slug: "soleimani-strike-push") {
        title publication authors publishedAt contentHash
        claims { key source { name } quote { start end } }
        events { dateAsWritten discrepancy event { slug occurredAt occurredPrecision } }
      }
    }`);
    const article = data.article;
    expect(article).toMatchObject({ publication: "The National Interest", authors: ["Matthew Petti"], publishedAt: "2020-01-03T00:00:00.000Z" });
    const starts = article.claims.map((c: any) => c.quote.start);
    expect(starts).toEqual([...starts].sort((a: number, b: number) => a - b));
    const drone = article.events.find((m: any) => m.event.slug === "global-hawk-shootdown");
    expect(drone).toMatchObject({ dateAsWritten: "July [2019]", event: { occurredAt: "2019-06-20T00:00:00.000Z", occurredPrecision: "DAY" } });
    expect(drone.discrepancy).toMatch(/20 June 2019/);
    // The URL comes from the seed: it is data (and may be corrected), not something to pin here.
    const { url } = (await loadSeed(DEFAULT_SEED_DIR)).articles.find((a) => a.slug === "soleimani-strike-push")!;
    const byUrl = await query(`query($url: URL!) { article(url: $url) { slug url } }`, { url });
    expect(byUrl.article).toEqual({ slug: "soleimani-strike-push", url });
  });

  test("the events timeline is in date order and filterable", async () => {
    const data = await query(`{ events(first: 100) { totalCount nodes { slug occurredAt } } }`);
    const dates = data.events.nodes.map((e: any) => Date.parse(e.occurredAt));
    expect(dates).toEqual([...dates].sort((a: number, b: number) => a - b));
    expect(data.events.totalCount).toBeGreaterThanOrEqual(15);
    const dec = await query(`{ events(filter: { from: "2019-12-27T00:00:00Z", to: "2020-01-01T00:00:00Z" }) { nodes { slug } } }`);
    expect(dec.events.nodes.map((e: any) => e.slug)).toEqual(["k1-base-rocket-attack", "us-strikes-on-kataib-hezbollah", "us-embassy-baghdad-attack"]);
  });

  test("an event with its participants, linked claims by link type and mentions", async () => {
    const data = await query(`{
      event(slug: "baghdad-airport-strike") {
        title participants { role source { slug } }
        justifying: claims(linkType: JUSTIFIES, first: 100) { totalCount nodes { source { slug } } }
        threats: claims(linkType: THREATENS) { nodes { source { slug } } }
        mentions { article { slug } dateAsWritten }
      }
    }`);
    const e = data.event;
    expect(e.participants.map((p: any) => p.source.slug).sort()).toEqual(["department-of-defense", "donald-trump"]);
    expect(new Set(e.justifying.nodes.map((n: any) => n.source.slug))).toEqual(new Set(["department-of-defense", "trump-administration"]));
    expect(e.threats.nodes.map((n: any) => n.source.slug).sort()).toEqual(["ali-khamenei", "kataib-hezbollah"]);
    expect(e.mentions).toEqual([{ article: { slug: "soleimani-strike-push" }, dateAsWritten: expect.stringContaining("Friday") }]);
  });

  test("Claim.events carries the link type", async () => {
    const data = await query(`{ claims(filter: { actor: "Kata'ib Hezbollah" }) { nodes { events { linkType event { slug } } } } }`);
    expect(data.claims.nodes[0].events).toEqual([{ linkType: "THREATENS", event: { slug: "baghdad-airport-strike" } }]);
  });

  test("node and nodes resolve every type by global ID", async () => {
    const data = await query(`{ claims(first: 1) { nodes { id source { id } article { id } events { event { id } } } } }`);
    const claim = data.claims.nodes[0];
    const ids = [claim.id, claim.source.id, claim.article.id, claim.events[0].event.id];
    const nodes = await query(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [...ids, "bm9wZQ"] });
    expect(nodes.nodes.map((n: any) => n?.__typename ?? null)).toEqual(["Claim", "Source", "Article", "Event", null]);
    expect(nodes.nodes.slice(0, 4).map((n: any) => n.id)).toEqual(ids);
  });

  test("claimStats counts every status and groups by source", async () => {
    const data = await query(`{
      all: claims { totalCount }
      claimStats(groupBySource: true, sourceLimit: 3) {
        total byStatus { status count }
        bySource { total source { slug } byStatus { status count } }
      }
    }`);
    const stats = data.claimStats;
    expect(stats.total).toBe(data.all.totalCount);
    expect(stats.byStatus).toHaveLength(10);
    expect(stats.byStatus.reduce((n: number, s: any) => n + s.count, 0)).toBe(stats.total);
    expect(stats.bySource).toHaveLength(3);
    expect(stats.bySource[0].source.slug).toBe("matthew-brodsky");
    const totals = stats.bySource.map((s: any) => s.total);
    expect(totals).toEqual([...totals].sort((a: number, b: number) => b - a));
    const scoped = await query(`{ claimStats(filter: { actor: "Itani" }) { total bySource { total } } }`);
    expect(scoped.claimStats).toEqual({ total: 4, bySource: null });
  });
});

describe.each(databaseKinds())("query batching on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterAll(() => server?.close());

  test("a page of 20 claims with source, article and events costs a constant number of queries", async () => {
    const q = `query($first: Int) { claims(first: $first) { totalCount nodes { text source { name } article { title } events { linkType event { title } } } } }`;
    const count = async (first: number) => {
      server.queries.length = 0;
      const { body } = await server.gql(q, { first });
      expect(body.errors).toBeUndefined();
      expect(body.data.claims.nodes).toHaveLength(first);
      return requestStatements(server.queries).length;
    };
    const forTwenty = await count(20);
    const forTwo = await count(2);
    // claims page (joined with source and article) with its count, claim-event links, events
    expect(forTwenty).toBeLessThanOrEqual(4);
    expect(forTwenty).toBe(forTwo);
  });
});
