import { buildSchema } from "../src/app/schema";
import { textCharsOf } from "../src/graphql/answerText";
import { PUBLISHER } from "./support/claimReviewRules";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Attack round 6, finding 1: the count of what an answer carries took only `String` fields, as
// characters. An article's 50 authors and 100 tags (`[String!]!`) made of control characters, which
// JSON writes as six (`\u0001`), repeated by `nodes(ids:)` under 30 aliases: one anonymous query
// priced 9,030 answered 352 MB; through `claimReview` (a JSONObject with the article's bylines) 184 MB.
// Here the same shape under MAX_COST 2,000 (2 million characters of text): without the escapes, 50
// copies of the article's lists would hold about 1 million characters and fit.
const ARTICLE = "soleimani-strike-push";
const MAX_COST = 2000;
/** The bytes an answer of MAX_COST × 1,000 characters of JSON text may take (three per character at most). */
const MAX_BYTES = 3 * MAX_COST * 1000;

// 50 authors of 200 characters and 100 tags of 100, all but a 4-digit number U+0001–U+0007 (as the
// repro wrote them; the API now refuses them in single-line fields, so they stand for older rows).
const CONTROL_LISTS = `UPDATE article SET
    authors = (SELECT array_agg(repeat(chr(1 + g % 7), 196) || lpad(g::text, 4, '0')) FROM generate_series(1, 50) g),
    tags = (SELECT array_agg(repeat(chr(1 + g % 7), 96) || lpad(g::text, 4, '0')) FROM generate_series(1, 100) g)
  WHERE slug = '${ARTICLE}'`;

async function anonymous(server: TestServer, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

type GqlError = { extensions: { code: string; field?: string; maxItems?: number } };
const codes = (errors: GqlError[] | undefined) => new Set((errors ?? []).map((e) => e.extensions.code));

describe.each(databaseKinds())("text in lists and custom scalars counts as JSON writes it (%s)", (kind) => {
  let server: TestServer;
  let articleId: string;
  let claimId: string;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0", MAX_COST: String(MAX_COST), ...PUBLISHER } });
    await server.db.prisma.$executeRawUnsafe(CONTROL_LISTS);
    const { body } = await server.gql(`{ article(slug: "${ARTICLE}") { id claims { id } } }`);
    articleId = body.data.article.id;
    claimId = body.data.article.claims[0].id;
    const editor = await createKey(server, "EDITOR", "Verdict editor");
    const verdict = await server.gql(
      `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { userErrors { code } } }`,
      { input: { claimId, status: "FALSE", rationale: "Checked against the record.", evidenceUrls: ["https://example.org/record"] } },
      editor,
    );
    expect(verdict.body.data.claimSetStatus.userErrors).toEqual([]);
  }, 60_000);
  afterAll(() => server?.close());

  test("an article's lists of strings read once answer whole", async () => {
    const { status, body } = await anonymous(server, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Article { authors tags } } }`, { ids: [articleId] });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes[0].authors).toHaveLength(50);
    expect(body.data.nodes[0].tags).toHaveLength(100);
  });

  test("the repro's anonymous query, scaled: lists of strings repeated by nodes(ids:) stop at MAX_COST thousand characters", async () => {
    const query = `query($ids: [ID!]!) { a0: nodes(ids: $ids) { ... on Article { authors tags } } a1: nodes(ids: $ids) { ... on Article { authors } } }`;
    const { status, bytes, body } = await anonymous(server, query, { ids: Array(50).fill(articleId) });
    expect(status).toBe(200);
    expect(codes(body.errors)).toEqual(new Set(["QUERY_COST_LIMIT_EXCEEDED"]));
    expect(body.errors[0].extensions).toMatchObject({ maxItems: MAX_COST, field: expect.stringMatching(/^Article\.(authors|tags)$/) });
    // Some copies answered before the count ran out, and the whole answer stays within its bound.
    expect(body.data.a0.filter((n: unknown) => n !== null).length).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(MAX_BYTES);
  }, 60_000);

  test("a ClaimReview (JSONObject) carrying the article's bylines counts its text", async () => {
    const one = await anonymous(server, `query($id: ID!) { node(id: $id) { ... on Claim { claimReview } } }`, { id: claimId });
    expect(one.body.errors).toBeUndefined();
    expect(JSON.stringify(one.body.data.node.claimReview).length).toBeGreaterThan(50 * 1000);
    const { status, bytes, body } = await anonymous(server, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Claim { claimReview } } }`, {
      ids: Array(100).fill(claimId),
    });
    expect(status).toBe(200);
    expect(codes(body.errors)).toEqual(new Set(["QUERY_COST_LIMIT_EXCEEDED"]));
    expect(body.errors[0].extensions.field).toBe("Claim.claimReview");
    expect(bytes).toBeLessThan(MAX_BYTES);
  }, 60_000);
});

describe("the characters counted for a value", () => {
  const schema = buildSchema();
  const counter = (type: string, list = false) => textCharsOf(schema.getType(type)!, list)!;

  test("are what JSON.stringify writes, for strings without two-character escapes, control characters included", () => {
    const strings = counter("String", true);
    for (const value of ["", "plain", "\u0001\u001b\u0000x", "café ☕ 👩‍💻", ["a", "\u0007b", "c"]]) {
      expect(strings(value)).toBe(JSON.stringify(value).length);
    }
    // Quotes, backslashes and line breaks write two characters for one: within the factor of three bytes.
    const quoted = 'said "no"\n\\';
    expect(strings(quoted) * 3).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(quoted)));
    expect(counter("ID")("QXJ0aWNsZTox")).toBe(JSON.stringify("QXJ0aWNsZTox").length);
    expect(counter("DateTime")(new Date("2026-01-01T00:00:00Z"))).toBeGreaterThanOrEqual(JSON.stringify(new Date()).length);
    expect(counter("Int")).toBeUndefined();
  });

  test("stop early once past the room the answer has left: a value past it fits whatever its exact size", () => {
    const controls = "\u0001".repeat(10_000);
    // 60,002 characters in all; the scan stops at the limit.
    expect(counter("String")(controls, 20_000)).toBeGreaterThanOrEqual(20_000);
    expect(counter("String")(controls, 20_000)).toBeLessThan(20_006);
    expect(counter("String", true)(Array(100).fill(controls), 100_000)).toBeLessThan(200_000);
    expect(counter("String", true)(Array(100).fill(controls), 100_000)).toBeGreaterThanOrEqual(100_000);
    expect(counter("String", true)(["ab", "cd"], 100)).toBe(JSON.stringify(["ab", "cd"]).length);
  });

  test("a URL counts as its scalar serialises it (percent-encoding expands non-ASCII and quotes)", () => {
    const urls = counter("URL", true);
    const values = ["https://example.org", "https://example.org/a?b=c#d", "https://example.org/“é”/\"x\"", "https://user@example.org/a;b"];
    for (const value of values) expect(urls(value)).toBeGreaterThanOrEqual(JSON.stringify(new URL(value).href).length);
    expect(urls(values)).toBeGreaterThanOrEqual(JSON.stringify(values.map((v) => new URL(v).href)).length);
  });

  test("a JSON object counts its keys, values and punctuation", () => {
    const review = { "@type": "ClaimReview", author: [{ name: "A\u0001", n: 5, ok: true, none: null }], list: [1, "two"] };
    expect(counter("JSONObject")(review)).toBe(JSON.stringify(review).length);
  });
});
