import type { Claim, Source, VerdictChange } from "../generated/prisma/client";
import type { ArticleSummary } from "../article/sql";

/** schema.org ratings: TRUE..FALSE map onto 5..1; other verdicts carry only their label. */
const RATING: Partial<Record<Claim["status"], number>> = { TRUE: 5, MOSTLY_TRUE: 4, MIXED: 3, MOSTLY_FALSE: 2, FALSE: 1 };

const LABEL: Record<Claim["status"], string> = {
  UNVERIFIED: "Unverified",
  IN_REVIEW: "In review",
  TRUE: "True",
  MOSTLY_TRUE: "Mostly true",
  MIXED: "Mixed",
  MOSTLY_FALSE: "Mostly false",
  FALSE: "False",
  MISLEADING: "Misleading",
  UNSUBSTANTIATED: "Unsubstantiated",
  NOT_CHECKABLE: "Not checkable",
};

/** The claim's current verdict as schema.org ClaimReview JSON-LD. */
export function claimReview(
  claim: Claim,
  source: Source,
  article: ArticleSummary,
  lastVerdict: VerdictChange | undefined,
): Record<string, unknown> {
  const rating = RATING[claim.status];
  return {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    claimReviewed: claim.text,
    datePublished: (lastVerdict?.createdAt ?? claim.createdAt).toISOString(),
    ...(lastVerdict ? { author: { "@type": "Person", name: lastVerdict.changedBy } } : {}),
    itemReviewed: {
      "@type": "Claim",
      author: {
        "@type": source.kind === "PERSON" ? "Person" : "Organization",
        name: source.name,
        ...(source.role ? { jobTitle: source.role } : {}),
        ...(source.wikidataId ? { sameAs: `https://www.wikidata.org/wiki/${source.wikidataId}` } : {}),
      },
      ...(claim.saidAtPrecision === "UNKNOWN" ? {} : { datePublished: claim.saidAt.toISOString().slice(0, 10) }),
      appearance: {
        "@type": "NewsArticle",
        url: article.url,
        headline: article.title,
        datePublished: article.publishedAt.toISOString().slice(0, 10),
        author: article.authors.map((name) => ({ "@type": "Person", name })),
        publisher: { "@type": "Organization", name: article.publication },
      },
    },
    reviewRating: {
      "@type": "Rating",
      ...(rating ? { ratingValue: rating, bestRating: 5, worstRating: 1 } : {}),
      alternateName: LABEL[claim.status],
    },
  };
}
