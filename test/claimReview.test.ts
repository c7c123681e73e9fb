import { loadConfig } from "../src/config";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const PUBLISHER = {
  CLAIMREVIEW_AUTHOR_NAME: "Example Fact Desk",
  CLAIMREVIEW_AUTHOR_URL: "https://factcheck.example.org/",
  CLAIMREVIEW_URL_TEMPLATE: "https://factcheck.example.org/reviews/{id}",
};
const PUBLISHED = ["TRUE", "MOSTLY_TRUE", "MIXED", "MOSTLY_FALSE", "FALSE", "MISLEADING", "UNSUBSTANTIATED", "NOT_CHECKABLE"];
const ON_SCALE = ["TRUE", "MOSTLY_TRUE", "MIXED", "MOSTLY_FALSE", "FALSE"];
const DATE_LENGTH: Record<string, number | undefined> = { DAY: 10, MONTH: 7, YEAR: 4, UNKNOWN: undefined };

const CLAIMS = `{
  claims(first: 100) {
    nodes {
      id key text status saidAt saidAtPrecision claimReview
      source { name kind }
      article { url urlVerified title publication authors }
      history { aspect toStatus createdAt }
    }
  }
}`;

const isHttpUrl = (v: unknown) => typeof v === "string" && /^https?:\/\/\S+$/.test(v);
const isText = (v: unknown) => typeof v === "string" && v.trim().length > 0;

/**
 * Every property schema.org ClaimReview and Google's fact-check markup require (claimReviewed,
 * reviewRating with alternateName, url) or recommend (author, datePublished, itemReviewed: a Claim with
 * author, datePublished and appearance; numeric ratings with their scale), checked against the claim
 * the review was exported for. Returns the problems found.
 */
function problemsOf(review: any, claim: any): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => ok || problems.push(what);
  need(review["@context"] === "https://schema.org", "@context");
  need(review["@type"] === "ClaimReview", "@type");
  need(review.claimReviewed === claim.text, "claimReviewed is the claim's text");
  need(review.url === PUBLISHER.CLAIMREVIEW_URL_TEMPLATE.replace("{id}", claim.id), "url is the configured review URL");
  need(review.author?.["@type"] === "Organization" && review.author.name === PUBLISHER.CLAIMREVIEW_AUTHOR_NAME, "author is the organisation");
  need(review.author?.url === PUBLISHER.CLAIMREVIEW_AUTHOR_URL, "author.url");
  const verdict = claim.history.find((h: any) => h.aspect === "VERIFICATION" && h.toStatus === claim.status);
  need(review.datePublished === verdict?.createdAt, "datePublished is the verdict's own date");

  const rating = review.reviewRating ?? {};
  need(rating["@type"] === "Rating" && isText(rating.alternateName), "reviewRating.alternateName");
  const numeric = ["ratingValue", "bestRating", "worstRating"].filter((k) => k in rating);
  need(numeric.length === 0 || numeric.length === 3, "ratingValue, bestRating and worstRating come together");
  if (ON_SCALE.includes(claim.status)) {
    need(numeric.length === 3, `a ${claim.status} verdict has a numeric rating`);
    need(rating.worstRating <= rating.ratingValue && rating.ratingValue <= rating.bestRating, "ratingValue within its scale");
  }

  const item = review.itemReviewed ?? {};
  need(item["@type"] === "Claim", "itemReviewed is a Claim");
  need(["Person", "Organization"].includes(item.author?.["@type"]) && item.author.name === claim.source.name, "itemReviewed.author");
  need(item.author?.["@type"] === (claim.source.kind === "PERSON" ? "Person" : "Organization"), "itemReviewed.author type");
  const length = DATE_LENGTH[claim.saidAtPrecision];
  need(length === undefined ? !("datePublished" in item) : item.datePublished === claim.saidAt.slice(0, length), "itemReviewed.datePublished no more precise than known");
  const appearance = item.appearance ?? {};
  need(appearance["@type"] === "NewsArticle" && appearance.headline === claim.article.title, "itemReviewed.appearance");
  need(claim.article.urlVerified ? appearance.url === claim.article.url : !("url" in appearance), "appearance cites only a verified URL");
  need(isText(appearance.publisher?.name) && /^\d{4}-\d{2}-\d{2}$/.test(appearance.datePublished), "appearance publisher and date");
  need(isHttpUrl(review.url), "url is an http(s) URL");
  return problems;
}

describe.each(databaseKinds())("ClaimReview export on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let ids: Map<string, string>;
  beforeAll(async () => {
    // Off: the test changes an article behind the API's back.
    server = await startServer(kind, { env: { ...PUBLISHER, RESPONSE_CACHE_MB: "0" } });
    editor = await createKey(server, "EDITOR", "Verdict desk");
    const { body } = await server.gql(`{ claims(first: 100) { nodes { id key } } }`);
    ids = new Map(body.data.claims.nodes.map((n: any) => [n.key.split("/")[1], n.id]));
  });
  afterAll(() => server?.close());

  const setStatus = async (key: string, status: string) => {
    const { body } = await server.gql(
      `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { userErrors { code message } } }`,
      { input: { claimId: ids.get(key), status, rationale: `Checked: ${status}.`, evidenceUrls: ["https://example.org/evidence"] } },
      editor,
    );
    expect(body.data.claimSetStatus.userErrors).toEqual([]);
  };
  const allClaims = async () => (await server.gql(CLAIMS)).body.data.claims.nodes as any[];

  test("a claim without a published verdict exports no ClaimReview", async () => {
    const claims = await allClaims();
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.filter((c) => c.claimReview !== null)).toEqual([]);
    await setStatus("trump-iran-never-won-a-war", "IN_REVIEW");
    const inReview = (await allClaims()).find((c) => c.id === ids.get("trump-iran-never-won-a-war"));
    expect(inReview).toMatchObject({ status: "IN_REVIEW", claimReview: null });
  });

  test("every exported ClaimReview has the required and expected properties, dated no more precisely than known", async () => {
    // Verdicts across the scale, off it, and across DAY, MONTH and UNKNOWN dates.
    await setStatus("khamenei-harsh-revenge", "NOT_CHECKABLE");
    await setStatus("us-officials-blame-iran-saudi-attack", "TRUE");
    await setStatus("hook-objected-prisoner-exchange", "MOSTLY_FALSE");
    await setStatus("dod-soleimani-developing-attack-plans", "UNSUBSTANTIATED");
    await setStatus("national-interest-counter-iran-mission-report", "MIXED");
    const claims = await allClaims();
    const exported = claims.filter((c) => c.claimReview !== null);
    expect(new Set(exported.map((c) => c.saidAtPrecision))).toEqual(new Set(["DAY", "MONTH", "UNKNOWN"]));
    for (const claim of claims) {
      expect([claim.key, claim.claimReview !== null]).toEqual([claim.key, PUBLISHED.includes(claim.status)]);
    }
    for (const claim of exported) expect([claim.key, problemsOf(claim.claimReview, claim)]).toEqual([claim.key, []]);
    const month = exported.find((c) => c.saidAtPrecision === "MONTH");
    expect(month.claimReview.itemReviewed.datePublished).toMatch(/^\d{4}-\d{2}$/);
  });

  test("a verdict taken back to review withdraws its ClaimReview; a verified URL is cited", async () => {
    await setStatus("khamenei-harsh-revenge", "IN_REVIEW");
    const claims = await allClaims();
    expect(claims.find((c) => c.id === ids.get("khamenei-harsh-revenge")).claimReview).toBeNull();

    await server.db.prisma.article.updateMany({ data: { urlVerified: true } });
    const verified = (await allClaims()).find((c) => c.id === ids.get("us-officials-blame-iran-saudi-attack"));
    expect(verified.claimReview.itemReviewed.appearance.url).toBe(verified.article.url);
    expect(problemsOf(verified.claimReview, verified)).toEqual([]);
    await server.db.prisma.article.updateMany({ data: { urlVerified: false } });
  });
});

describe("ClaimReview configuration", () => {
  test("unset: no publisher, so no ClaimReview is exported", () => {
    expect(loadConfig({}).reviewPublisher).toBeNull();
  });
  test("set: the organisation and the review URL template", () => {
    expect(loadConfig(PUBLISHER).reviewPublisher).toEqual({
      name: "Example Fact Desk",
      url: "https://factcheck.example.org/",
      urlTemplate: "https://factcheck.example.org/reviews/{id}",
    });
  });
  test.each([
    [{ CLAIMREVIEW_AUTHOR_NAME: "Desk" }, /CLAIMREVIEW_URL_TEMPLATE: set CLAIMREVIEW_AUTHOR_NAME and CLAIMREVIEW_URL_TEMPLATE together/],
    [{ CLAIMREVIEW_AUTHOR_NAME: "Desk", CLAIMREVIEW_URL_TEMPLATE: "https://x.example/reviews" }, /CLAIMREVIEW_URL_TEMPLATE: must contain \{id\}/],
    [{ CLAIMREVIEW_AUTHOR_NAME: "Desk", CLAIMREVIEW_URL_TEMPLATE: "ftp://x.example/{id}" }, /CLAIMREVIEW_URL_TEMPLATE: must be an http\(s\) URL/],
    [{ CLAIMREVIEW_AUTHOR_URL: "https://x.example" }, /CLAIMREVIEW_AUTHOR_URL: needs CLAIMREVIEW_AUTHOR_NAME/],
  ])("a half or bad setting %p stops the process with its name", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
