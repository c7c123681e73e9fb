import { databaseKinds, startServer, type TestServer } from "./support/harness";

// The cost analysis prices a plain list as one item whatever the data holds. Found by the second
// attack round of 2026-12-07 on `Article.claims`: with 20,181 claims in one article, one anonymous
// request of 10 aliases answered 90 MB in 9.9 s and took RSS from 248 to 1,175 MiB. The same held for
// every plain list, and a connection under one (`members { claims(first: 100) }`) multiplied by a
// count the analysis never saw. Execution now counts the items an answer lists (src/graphql/listedItems.ts).
const ARTICLE = "soleimani-strike-push";
const SOURCE = "trump-administration";

const COPY_CLAIMS = (copies: number) => `INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at,
    said_at_precision, quote_start, quote_end, quote_exact, status, status_origin, attribution, attribution_origin, updated_at,
    anchoring, quote_prefix, quote_suffix)
  SELECT gen_random_uuid(), key || '-copy' || g, origin, article_id, source_id, text, kind, channel, said_at, said_at_precision,
    quote_start, quote_end, quote_exact, status, status_origin, attribution, attribution_origin, now(), anchoring, quote_prefix, quote_suffix
  FROM claim, generate_series(1, ${copies}) g`;

type GqlError = { extensions: { code: string; field?: string; maxItems?: number } };
const codes = (errors: GqlError[] | undefined) => new Set((errors ?? []).map((e) => e.extensions.code));

describe.each(databaseKinds())("items an answer lists (%s)", (kind) => {
  let server: TestServer;
  let perArticle: number;
  beforeAll(async () => {
    // A small cost limit, so a few hundred rows show what 20,000 would.
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", MAX_COST: "2000" } });
    await server.db.prisma.$executeRawUnsafe(COPY_CLAIMS(5)); // 31 × 6 = 186 claims in the seed article
    await server.db.prisma.$executeRawUnsafe(`INSERT INTO source (id, slug, name, kind, affiliation_id, updated_at)
      SELECT gen_random_uuid(), 'member-' || g, 'Member ' || g, 'PERSON', (SELECT id FROM source WHERE slug = '${SOURCE}'), now()
      FROM generate_series(1, 300) g`);
    perArticle = (await server.gql(`{ article(slug: "${ARTICLE}") { claims { id } } }`)).body.data.article.claims.length;
  }, 60_000);
  afterAll(() => server?.close());

  test("aliases of a plain list stop at the limit: the ones that fit answer whole, the rest fail with QUERY_COST_LIMIT_EXCEEDED", async () => {
    expect(perArticle).toBeGreaterThan(180);
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: article(slug: "${ARTICLE}") { claims { id } }`).join(" ");
    const { status, body } = await server.gql(`{ ${aliases} }`);
    expect(status).toBe(200);
    const listed = Object.values(body.data as Record<string, { claims: unknown[] } | null>);
    expect(listed.reduce((n, article) => n + (article?.claims.length ?? 0), 0)).toBeLessThanOrEqual(2000);
    expect(listed.filter((a) => a !== null).length).toBe(Math.floor(2000 / perArticle));
    expect(codes(body.errors)).toEqual(new Set(["QUERY_COST_LIMIT_EXCEEDED"]));
    expect(body.errors[0].extensions).toMatchObject({ field: "Article.claims", maxItems: 2000 });
    // The article's claims can still be read in full, page by page.
    const id = (await server.gql(`{ article(slug: "${ARTICLE}") { id } }`)).body.data.article.id;
    const { body: paged } = await server.gql(`query($id: ID!) { claims(first: 100, filter: { articleId: $id }) { totalCount } }`, { id });
    expect(paged.data.claims.totalCount).toBe(perArticle);
  }, 60_000);

  test("a plain list the cost analysis counts once (Source.members) is counted by what it holds, a connection under it too", async () => {
    const one = await server.gql(`{ source(slug: "${SOURCE}") { members { id claims(first: 5) { nodes { id } } } } }`);
    expect(one.body.errors).toBeUndefined();
    const members = one.body.data.source.members.length;
    expect(members).toBeGreaterThanOrEqual(300);
    // Priced far under 2,000 (each alias as one member); it lists 7 × 300 members and more.
    const seven = Array.from({ length: 7 }, (_, i) => `s${i}: source(slug: "${SOURCE}") { members { id } }`).join(" ");
    const { body } = await server.gql(`{ ${seven} }`);
    const answered = Object.values(body.data as Record<string, unknown>).filter((s) => s !== null);
    expect(answered).toHaveLength(Math.floor(2000 / members));
    expect(codes(body.errors)).toEqual(new Set(["QUERY_COST_LIMIT_EXCEEDED"]));
    expect(body.errors[0].extensions.field).toBe("Source.members");
  }, 60_000);

  test("a query whose cost was priced right never meets the count: its items are at most its cost", async () => {
    // 100 edges + 100 nodes + their sources: cost 1 + 100 × (1 + 1 + 1 + 1 + 1 + 1) = 601, items 200.
    const { body } = await server.gql(`{ claims(first: 100) { edges { node { id } } nodes { id source { name } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.claims.nodes).toHaveLength(100);
  });

});

describe.each(databaseKinds())("a plain list's read stops at 20,001 rows (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // A cost limit above the read's, so the read's own bound is what answers.
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", MAX_COST: "100000" } });
    await server.db.prisma.$executeRawUnsafe(COPY_CLAIMS(650)); // 31 × 651 = 20,181 claims in the seed article
  }, 180_000);
  afterAll(() => server?.close());

  test.each([
    ["the article page (one statement)", `{ article(slug: "${ARTICLE}") { title claims { id } } }`],
    ["the batched loader", `{ articles(first: 5) { nodes { title claims { id } } } }`],
  ])("%s: an article with more claims than a plain list may hold fails that list with QUERY_COST_LIMIT_EXCEEDED", async (_, query) => {
    const { status, body } = await server.gql(query);
    expect(status).toBe(200);
    expect(codes(body.errors)).toEqual(new Set(["QUERY_COST_LIMIT_EXCEEDED"]));
    expect(body.errors[0].extensions).toMatchObject({ field: "Article.claims", maxItems: 20_000 });
  }, 60_000);
});

describe.each(databaseKinds())("strings an answer carries (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", MAX_COST: "2000" } });
    // 31 × 60 = 1,860 claims in the seed article, each with a 900-character text: under 1,000 characters
    // a string is not long, but 1,860 of them are 1.7 million characters.
    await server.db.prisma.$executeRawUnsafe(COPY_CLAIMS(59));
    await server.db.prisma.$executeRawUnsafe(`UPDATE claim SET text = repeat('x', 900)`);
  }, 120_000);
  afterAll(() => server?.close());

  test("short strings add up: an answer holds at most about MAX_COST thousand characters of text", async () => {
    const { body } = await server.gql(`{ article(slug: "${ARTICLE}") { claims { a: text b: text } } }`);
    expect(codes(body.errors)).toEqual(new Set(["QUERY_COST_LIMIT_EXCEEDED"]));
    expect(body.errors[0].extensions.field).toBe("Claim.text");
    // 1,860 claims and 3,348 thousand characters would not fit; a page of 100 texts (90) does.
    const { body: page } = await server.gql(`{ claims(first: 100) { nodes { text } } }`);
    expect(page.errors).toBeUndefined();
  }, 60_000);
});
