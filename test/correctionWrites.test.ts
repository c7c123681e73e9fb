import { readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { createKey, databaseKinds, requestStatements, startServer, type TestServer } from "./support/harness";

// A body correction re-anchors every claim of the article. It wrote one history row and one claim
// UPDATE per moved claim, one statement at a time: a correction of a ~20,000-claim article ran past
// the request's timeout. Now the moves are written set-based, so the statements do not grow with the
// article (src/article/reanchorClaims.ts).
const SLUG = "soleimani-strike-push";
const COPIES = 99; // 31 × 100 = 3,100 claims in the seed article
const seedBody = readFileSync(path.join(DEFAULT_SEED_DIR, "articles/soleimani-strike-push.txt"), "utf8");
const UPDATE = `mutation($input: ArticleUpdateInput!) {
  articleUpdate(input: $input) { article { id } reanchoring { exact fuzzy orphaned } userErrors { code message } }
}`;

describe.each(databaseKinds())("a body correction of a large article (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0" } });
    await server.db.prisma.$executeRawUnsafe(`INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at,
        said_at_precision, quote_start, quote_end, quote_exact, status, status_origin, attribution, attribution_origin, updated_at,
        anchoring, quote_prefix, quote_suffix)
      SELECT gen_random_uuid(), key || '-copy' || g, 'API', article_id, source_id, text, kind, channel, said_at, said_at_precision,
        quote_start, quote_end, quote_exact, status, status_origin, attribution, attribution_origin, now(), anchoring, quote_prefix, quote_suffix
      FROM claim, generate_series(1, ${COPIES}) g`);
  }, 120_000);
  afterAll(() => server?.close());

  test("moves every claim in a number of statements that does not grow with the article, and records each move", async () => {
    const editor = await createKey(server, "EDITOR", "Corrections desk");
    const { id } = (await server.gql(`{ article(slug: "${SLUG}") { id } }`)).body.data.article;
    const claims = await server.db.prisma.claim.count({ where: { articleId: Buffer.from(id, "base64url").toString().split(":")[1] } });
    expect(claims).toBe(31 * (COPIES + 1));
    const corrected = "Editor’s note: this article was corrected on Tuesday.\n\n" + seedBody;
    server.queries.length = 0;
    const { body } = await server.gql(UPDATE, { input: { articleId: id, body: corrected } }, editor);
    expect(body.errors).toBeUndefined();
    expect(body.data.articleUpdate.userErrors).toEqual([]);
    const { exact, fuzzy, orphaned } = body.data.articleUpdate.reanchoring;
    expect(exact + fuzzy + orphaned).toBe(claims);
    expect(exact).toBeGreaterThan(claims * 0.9);
    // Before: two statements per moved claim (over 6,000 here).
    expect(requestStatements(server.queries).length).toBeLessThan(40);

    // Every moved claim's quote is at its new place, with one ANCHORING entry saying so.
    const rows = await server.db.prisma.$queryRawUnsafe<{ bad: bigint; history: bigint }[]>(`
      SELECT count(*) FILTER (WHERE c.anchoring = 'EXACT' AND substr($1, c.quote_start + 1, c.quote_end - c.quote_start) <> c.quote_exact) AS bad,
             (SELECT count(*) FROM verdict_change v JOIN claim c2 ON c2.id = v.claim_id
               WHERE c2.article_id = a.id AND v.aspect = 'ANCHORING' AND v.changed_by = 'Corrections desk') AS history
      FROM claim c JOIN article a ON a.id = c.article_id WHERE a.slug = $2 GROUP BY a.id`, corrected, SLUG);
    expect(Number(rows[0].bad)).toBe(0);
    expect(Number(rows[0].history)).toBe(claims);
  }, 120_000);
});
