import { Prisma, VerificationStatus } from "../src/generated/prisma/client";
import { idOf } from "../src/graphql/globalId";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const CLAIMS = `
  query Claims($filter: ClaimFilter, $orderBy: ClaimOrder, $first: Int, $after: String) {
    claims(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      edges { cursor node { id key text status saidAt source { name slug } article { title } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe.each(databaseKinds())("claims query on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterAll(() => server?.close());

  async function claims(variables: Record<string, unknown>) {
    const { body } = await server.gql(CLAIMS, variables);
    expect(body.errors).toBeUndefined();
    return body.data.claims;
  }

  test("the Department of Defense's statement is found by name, with its exact words", async () => {
    const page = await claims({ filter: { actor: "Department of Defense" } });
    const texts = page.edges.map((e: any) => e.node.text);
    expect(texts).toContain(
      "At the direction of the President, the U.S. military has taken decisive defensive action to protect U.S. personnel abroad by killing Qasem Soleimani",
    );
    expect(page.edges.every((e: any) => e.node.source.name === "U.S. Department of Defense")).toBe(true);
    expect(page.edges[0].node.article.title).toBe("Inside the Trump Administration Push To Kill Iranian General Soleimani");
  });

  test.each([
    ["Department of Defense", "department-of-defense"],
    ["pentagon", "department-of-defense"],
    ["DoD", "department-of-defense"],
    ["Lindsey Graham", "lindsey-graham"],
    ["Iraqi Prime Minister", "adil-abdul-mahdi"],
    ["Adil Abdulmahdi", "adil-abdul-mahdi"],
    ["Khamenei", "ali-khamenei"],
    ["Faysal Itani", "faysal-itani"],
    ["brodsky", "matthew-brodsky"],
    ["Trump", "donald-trump"],
    ["Hook", "brian-hook"],
    ["Brian Hook", "brian-hook"],
    ["Kata'ib Hezbollah", "kataib-hezbollah"],
    ["Kata’ib Hezbollah", "kataib-hezbollah"],
    ["David Schenker", "david-schenker"],
    ["U.S. Embassy in Baghdad", "us-embassy-baghdad"],
    ["U.S. officials", "us-officials"],
    ["brian-hook", "brian-hook"],
  ])("actor %p finds claims by %s and nobody else", async (actor, slug) => {
    const page = await claims({ filter: { actor } });
    expect(page.totalCount).toBeGreaterThan(0);
    expect(new Set(page.edges.map((e: any) => e.node.source.slug))).toEqual(new Set([slug]));
  });

  test("Brodsky's remarks are separate claims, not merged", async () => {
    const page = await claims({ filter: { actor: "Matthew Brodsky" } });
    expect(page.totalCount).toBeGreaterThanOrEqual(5);
    expect(new Set(page.edges.map((e: any) => e.node.key)).size).toBe(page.totalCount);
  });

  test("includeAffiliated widens an organisation to its people", async () => {
    const own = await claims({ filter: { actor: "State Department" } });
    const wide = await claims({ filter: { actor: "State Department", includeAffiliated: true }, first: 100 });
    const slugs = new Set(wide.edges.map((e: any) => e.node.source.slug));
    expect(own.totalCount).toBe(0);
    expect(slugs).toEqual(new Set(["brian-hook", "david-schenker", "us-embassy-baghdad"]));
  });

  test("an unknown actor matches nothing", async () => {
    const page = await claims({ filter: { actor: "Nobody At All" } });
    expect(page).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  test("status filter takes a list", async () => {
    const all = await claims({ first: 100 });
    const unverified = await claims({ filter: { status: ["UNVERIFIED"] }, first: 100 });
    const none = await claims({ filter: { status: ["FALSE", "TRUE"] } });
    expect(unverified.totalCount).toBe(all.edges.filter((e: any) => e.node.status === "UNVERIFIED").length);
    expect(none.totalCount).toBe(all.edges.filter((e: any) => ["FALSE", "TRUE"].includes(e.node.status)).length);
  });

  test.each(["NEWEST", "OLDEST", "STATUS", "ACTOR"])("walking every page ordered %s sees each claim once", async (orderBy) => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let guard = 0; guard < 50; guard++) {
      const page: any = await claims({ orderBy, first: 4, after });
      total = page.totalCount;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    const all = await claims({ orderBy, first: 100 });
    expect(seen).toEqual(all.edges.map((e: any) => e.node.id));
  });

  test("newest first by default", async () => {
    const page = await claims({ first: 100 });
    const dates = page.edges.map((e: any) => Date.parse(e.node.saidAt));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  test("first: 0 answers an empty page with the true totalCount and pageInfo", async () => {
    const all = await claims({ first: 100 });
    const empty = await claims({ first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.totalCount).toBe(all.totalCount);
    expect(empty.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
    const afterLast = await claims({ first: 0, after: all.edges[all.edges.length - 1].cursor });
    expect(afterLast.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    const inline = await server.gql(`{ sources(first: 0) { totalCount nodes { id } pageInfo { hasNextPage } } }`);
    expect(inline.body.data.sources).toMatchObject({ nodes: [], pageInfo: { hasNextPage: true } });
    expect(inline.body.data.sources.totalCount).toBeGreaterThan(0);
  });

  test.each([101, -1])("first: %p is rejected with BAD_USER_INPUT, inline and as a variable", async (first) => {
    const inline = await server.gql(`{ claims(first: ${first}) { totalCount } }`);
    const variable = await server.gql(CLAIMS, { first });
    for (const res of [inline, variable]) {
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(res.body.errors[0].message).toMatch(/between 0 and 100/);
    }
  });

  test("a cursor from another ordering is refused", async () => {
    const page = await claims({ orderBy: "STATUS", first: 1 });
    const res = await server.gql(CLAIMS, { orderBy: "NEWEST", after: page.pageInfo.endCursor });
    expect(res.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  test("full-text search matches stemmed words", async () => {
    const page = await claims({ filter: { search: "revenge" } });
    expect(page.edges.map((e: any) => e.node.source.slug)).toEqual(["ali-khamenei"]);
    const phrase = await claims({ filter: { search: '"kinetic response"' } });
    expect(phrase.totalCount).toBe(1);
  });

  test("saidAfter/saidBefore bound the date", async () => {
    const page = await claims({ filter: { saidAfter: "2020-01-01T00:00:00Z", saidBefore: "2020-01-02T00:00:00Z" }, first: 100 });
    expect(page.totalCount).toBeGreaterThan(0);
    for (const e of page.edges) expect(e.node.saidAt.startsWith("2020-01-01")).toBe(true);
  });

  test("quote offsets point at the exact text in the article body", async () => {
    const { body } = await server.gql(`{ articles(first: 1) { nodes { body claims { text quote { start end exact prefix suffix } } } } }`);
    const article = body.data.articles.nodes[0];
    expect(article.claims.length).toBeGreaterThanOrEqual(25);
    for (const c of article.claims) {
      expect(article.body.slice(c.quote.start, c.quote.end)).toBe(c.quote.exact);
      expect(article.body.slice(0, c.quote.start).endsWith(c.quote.prefix)).toBe(true);
      expect(article.body.slice(c.quote.end).startsWith(c.quote.suffix)).toBe(true);
    }
  });

  describe("ACTOR and STATUS orders", () => {
    // Last: its set-up adds a claim and retires one. Each page is read by walking sources by name when the filter allows it; the reference is every
    // match sorted by the database's own order of the names, then newest first.
    let nameRank: Map<string, number>;
    // Ties on the date are broken by the database id (the order of global IDs differs).
    const uuidOf = (globalId: string) => idOf("Claim", globalId)!;
    beforeAll(async () => {
      // A second source with a name already taken: its claims interleave with the first's by date.
      const editor = await createKey(server, "EDITOR");
      const made = await server.gql(
        `mutation($input: SourceCreateInput!) { sourceCreate(input: $input) { source { id } userErrors { message } } }`,
        { input: { slug: "another-lindsey-graham", name: "Lindsey Graham", kind: "PERSON" } },
        editor,
      );
      const ids = await server.gql(`{ articles(first: 1) { nodes { id } } }`);
      const claim = await server.gql(
        `mutation($input: ClaimCreateInput!) { claimCreate(input: $input) { claim { id } userErrors { message } } }`,
        { input: { articleId: ids.body.data.articles.nodes[0].id, sourceId: made.body.data.sourceCreate.source.id, text: "reportedly against Hook’s objections", kind: "ALLEGATION" } },
        editor,
      );
      expect(claim.body.data.claimCreate.userErrors).toEqual([]);
      const retire = await server.gql(`mutation($id: ID!) { claimRetire(input: { claimId: $id }) { userErrors { message } } }`, { id: (await claims({ first: 1 })).edges[0].node.id }, editor);
      expect(retire.body.data.claimRetire.userErrors).toEqual([]);
      const names = await server.db.read<{ name: string }>(Prisma.sql`SELECT DISTINCT name FROM source ORDER BY name`);
      nameRank = new Map(names.map((row, i) => [row.name, i]));
    });

    const FILTERS = [
      {},
      { status: ["UNVERIFIED"] },
      { status: ["UNVERIFIED", "IN_REVIEW", "FALSE"], includeRetired: true },
      { actor: "Lindsey Graham" },
      { actor: "Department of Defense", includeAffiliated: true },
      { search: "Iran" },
    ];
    // STATUS pages after the first walk statuses the same way (enum order, the sort's).
    const statusRank = new Map(Object.values(VerificationStatus).map((status, i) => [status as string, i]));
    const rank = { ACTOR: (c: any) => nameRank.get(c.source.name)!, STATUS: (c: any) => statusRank.get(c.status)! };
    test.each((["ACTOR", "STATUS"] as const).flatMap((order) => FILTERS.map((filter) => [order, filter] as const)))(
      "%s pages filtered by %j equal every match in that order, newest first",
      async (orderBy, filter) => {
        const every: any[] = (await claims({ filter, first: 100 })).edges.map((e: any) => e.node);
        const expected = every
          .sort((a, b) => rank[orderBy](a) - rank[orderBy](b) || Date.parse(b.saidAt) - Date.parse(a.saidAt) || (uuidOf(a.id) < uuidOf(b.id) ? 1 : -1))
          .map((c) => c.id);
        const seen: string[] = [];
        let after: string | null = null;
        for (let guard = 0; guard < 50; guard++) {
          const page: any = await claims({ filter, orderBy, first: 3, after });
          seen.push(...page.edges.map((e: any) => e.node.id));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(expected.length).toBeGreaterThan(0);
        expect(seen).toEqual(expected);
      },
    );
  });
});
