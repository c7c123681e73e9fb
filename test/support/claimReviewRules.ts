/**
 * What a ClaimReview must hold to be published: every property schema.org ClaimReview and Google's
 * fact-check markup require (claimReviewed, reviewRating with alternateName, url) or recommend (author,
 * datePublished, itemReviewed: a Claim with author, datePublished and appearance; numeric ratings with
 * their scale), plus claimgraph's own promises (no internal rationale, dates no more precise than known,
 * only verified URLs cited), checked against the claim the review was exported for. Shared by the
 * GraphQL export's test and the DataFeed's.
 */

export const PUBLISHER = {
  CLAIMREVIEW_AUTHOR_NAME: "Example Fact Desk",
  CLAIMREVIEW_AUTHOR_URL: "https://factcheck.example.org/",
  CLAIMREVIEW_URL_TEMPLATE: "https://factcheck.example.org/reviews/{id}",
};
export const PUBLISHED = ["TRUE", "MOSTLY_TRUE", "MIXED", "MOSTLY_FALSE", "FALSE", "MISLEADING", "UNSUBSTANTIATED", "NOT_CHECKABLE"];
const ON_SCALE = ["TRUE", "MOSTLY_TRUE", "MIXED", "MOSTLY_FALSE", "FALSE"];
const DATE_LENGTH: Record<string, number | undefined> = { DAY: 10, MONTH: 7, YEAR: 4, UNKNOWN: undefined };

/** The claim fields the rules check a review against. */
export const CLAIM_FIELDS = `id key text status saidAt saidAtPrecision
  source { name kind description }
  article { url urlVerified title publication authors publishedAt }
  history { aspect toStatus createdAt rationale publicExplanation }`;

const isHttpUrl = (v: unknown) => typeof v === "string" && /^https?:\/\/\S+$/.test(v);
const isText = (v: unknown) => typeof v === "string" && v.trim().length > 0;

/** The problems found in `review` as the ClaimReview of `claim` (empty when it is fit to publish). */
export function claimReviewProblems(review: any, claim: any): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => ok || problems.push(what);
  need(review["@context"] === "https://schema.org", "@context");
  need(review["@type"] === "ClaimReview", "@type");
  need(review.claimReviewed === claim.text, "claimReviewed is the claim's text");
  need(review.url === PUBLISHER.CLAIMREVIEW_URL_TEMPLATE.replace("{id}", claim.id), "url is the configured review URL");
  need(isHttpUrl(review.url), "url is an http(s) URL");
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
  // The public explanation, or nothing; the internal rationale never leaks into the published review.
  need(verdict?.publicExplanation ? rating.ratingExplanation === verdict.publicExplanation : !("ratingExplanation" in rating), "ratingExplanation is the public explanation");
  const rationales = claim.history.map((h: any) => h.rationale).filter(Boolean);
  need(!rationales.some((r: string) => JSON.stringify(review).includes(JSON.stringify(r).slice(1, -1))), "no internal rationale anywhere in the review");

  const item = review.itemReviewed ?? {};
  need(item["@type"] === "Claim", "itemReviewed is a Claim");
  const author = item.author ?? {};
  need(["Person", "Organization"].includes(author["@type"]) && author.name === claim.source.name, "itemReviewed.author");
  need(author["@type"] === (claim.source.kind === "PERSON" ? "Person" : "Organization"), "itemReviewed.author type");
  need(author.description === (claim.source.description ?? undefined), "itemReviewed.author.description is what the article tells of the source");
  const length = DATE_LENGTH[claim.saidAtPrecision];
  need(length === undefined ? !("datePublished" in item) : item.datePublished === claim.saidAt.slice(0, length), "itemReviewed.datePublished no more precise than known");
  const appearance = item.appearance ?? {};
  need(appearance["@type"] === "NewsArticle" && appearance.headline === claim.article.title, "itemReviewed.appearance");
  need(claim.article.urlVerified ? appearance.url === claim.article.url : !("url" in appearance), "appearance cites only a verified URL");
  need(appearance.publisher?.name === claim.article.publication, "appearance publisher");
  // Always the article's own date: for a claim whose date was not reported, the only date it carries.
  need(appearance.datePublished === claim.article.publishedAt.slice(0, 10), "appearance.datePublished is the article's publication date");
  return problems;
}

/** The seed's claims by their key within the article (`graham-briefed-on-plan`), as global IDs. */
export async function claimIdsByKey(server: { gql(query: string): Promise<{ body: any }> }): Promise<Map<string, string>> {
  const { body } = await server.gql(`{ claims(first: 100) { nodes { id key } } }`);
  return new Map(body.data.claims.nodes.map((n: { id: string; key: string }) => [n.key.split("/")[1], n.id]));
}
