import { LISTED_CLAIMS_PER_ANSWER } from "../src/article/listedClaims";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the second attack round of 2026-12-07: `Article.claims` is a plain list, so the cost
// analysis counts it as one item whatever the article holds, and every alias of `article` lists it
// again. On PostgreSQL with 20,181 claims in one article, one anonymous request of 10 aliases
// answered 90 MB in 9.9 s and took RSS from 248 to 1,175 MiB; 30 aliases: 1,856 MiB.
const SLUG = "soleimani-strike-push";
/** Copies of every seed claim added to the seed article: 31 × 26 = 806 claims in it. */
const COPIES = 25;

describe.each(databaseKinds())("claims listed through Article.claims (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0" } });
    await server.db.prisma.$executeRawUnsafe(`INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at,
        said_at_precision, quote_start, quote_end, quote_exact, status, status_origin, attribution, attribution_origin, updated_at,
        anchoring, quote_prefix, quote_suffix)
      SELECT gen_random_uuid(), key || '-copy' || g, origin, article_id, source_id, text, kind, channel, said_at, said_at_precision,
        quote_start, quote_end, quote_exact, status, status_origin, attribution, attribution_origin, now(), anchoring, quote_prefix, quote_suffix
      FROM claim, generate_series(1, ${COPIES}) g`);
  }, 60_000);
  afterAll(() => server?.close());

  test("an answer lists no more claims than the bound, however many aliases ask; the ones past it fail with QUERY_COST_LIMIT_EXCEEDED", async () => {
    const one = await server.gql(`{ article(slug: "${SLUG}") { claims { id } } }`);
    const perArticle = one.body.data.article.claims.length;
    expect(perArticle).toBeGreaterThan(800);
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: article(slug: "${SLUG}") { claims { id text } }`).join(" ");
    const { status, body } = await server.gql(`{ ${aliases} }`);
    expect(status).toBe(200);
    const listed = Object.values(body.data as Record<string, { claims: unknown[] } | null>);
    const returned = listed.reduce((n, article) => n + (article?.claims.length ?? 0), 0);
    expect(returned).toBeLessThanOrEqual(LISTED_CLAIMS_PER_ANSWER);
    // Each alias is whole or absent: the ones that fit, then nulls with the error.
    expect(listed.filter((a) => a !== null).length).toBe(Math.floor(LISTED_CLAIMS_PER_ANSWER / perArticle));
    expect(new Set(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code))).toEqual(new Set(["QUERY_COST_LIMIT_EXCEEDED"]));
    // The article's claims can still be read in full, page by page.
    const id = (await server.gql(`{ article(slug: "${SLUG}") { id } }`)).body.data.article.id;
    const { body: paged } = await server.gql(`query($id: ID!) { claims(first: 100, filter: { articleId: $id }) { totalCount } }`, { id });
    expect(paged.data.claims.totalCount).toBe(perArticle);
  }, 120_000);
});
