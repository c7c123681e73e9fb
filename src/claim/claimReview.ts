import type { Claim, DatePrecision, Source, VerdictChange } from "../generated/prisma/client";
import type { ArticleSummary } from "../article/sql";
import type { ReviewPublisher } from "../config";

/** schema.org ratings: TRUE..FALSE map onto 5..1; verdicts off that scale carry only their label. */
const RATING: Partial<Record<Claim["status"], number>> = { TRUE: 5, MOSTLY_TRUE: 4, MIXED: 3, MOSTLY_FALSE: 2, FALSE: 1 };

/** Labels of the verdicts a fact-checker publishes; UNVERIFIED and IN_REVIEW are not verdicts. */
const LABEL: Partial<Record<Claim["status"], string>> = {
  TRUE: "True",
  MOSTLY_TRUE: "Mostly true",
  MIXED: "Mixed",
  MOSTLY_FALSE: "Mostly false",
  FALSE: "False",
  MISLEADING: "Misleading",
  UNSUBSTANTIATED: "Unsubstantiated",
  NOT_CHECKABLE: "Not checkable",
};

/**
 * Who made the claim, as the article identifies them. Google recommends a Person or Organization; a
 * source the article does not name ("experts close to the administration", "unnamed reports") keeps
 * the label the desk gave it, and its description says what the article tells of it (unnamed, close to
 * whom), so the author is never presented as more identified than it is. Only a Wikidata match is
 * given as `sameAs`.
 */
function claimAuthor(source: Source): Record<string, unknown> {
  return {
    "@type": source.kind === "PERSON" ? "Person" : "Organization",
    name: source.name,
    ...(source.description ? { description: source.description } : {}),
    ...(source.role ? { jobTitle: source.role } : {}),
    ...(source.wikidataId ? { sameAs: `https://www.wikidata.org/wiki/${source.wikidataId}` } : {}),
  };
}

/** A date no more precise than it is known: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or nothing. */
function dateAsKnown(date: Date, precision: DatePrecision): string | undefined {
  const length = { DAY: 10, MONTH: 7, YEAR: 4, UNKNOWN: 0 }[precision];
  return length ? date.toISOString().slice(0, length) : undefined;
}

/**
 * The claim's published verdict as schema.org ClaimReview JSON-LD (the properties Google's fact-check
 * markup requires and recommends), or null when there is nothing to publish: no verdict yet, no record
 * of who set it, or no publishing organisation configured. The verdict's internal rationale is never
 * part of it: `ratingExplanation` is the public explanation the editor wrote, or absent.
 *
 * Dates: the claim's own `datePublished` only as precisely as it is known; a claim whose date was not
 * reported (UNKNOWN) has none, and the date it carries is the article's, on the article itself
 * (`appearance.datePublished`): when the claim had appeared by, never presented as when it was made.
 */
export function claimReview(
  claim: Claim,
  globalId: string,
  source: Source,
  article: ArticleSummary,
  history: readonly VerdictChange[],
  publisher: ReviewPublisher | null,
): Record<string, unknown> | null {
  const label = LABEL[claim.status];
  // History is newest first: the change that set the current status is the verdict being published.
  const verdict = history.find((h) => h.aspect === "VERIFICATION" && h.toStatus === claim.status);
  if (!publisher || !label || !verdict) return null;
  const rating = RATING[claim.status];
  const saidOn = dateAsKnown(claim.saidAt, claim.saidAtPrecision);
  return {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    url: publisher.urlTemplate.replaceAll("{id}", globalId),
    claimReviewed: claim.text,
    datePublished: verdict.createdAt.toISOString(),
    author: { "@type": "Organization", name: publisher.name, ...(publisher.url ? { url: publisher.url } : {}) },
    itemReviewed: {
      "@type": "Claim",
      author: claimAuthor(source),
      ...(saidOn ? { datePublished: saidOn } : {}),
      appearance: {
        "@type": "NewsArticle",
        // Only an address checked to be the article's own is cited.
        ...(article.urlVerified ? { url: article.url } : {}),
        headline: article.title,
        datePublished: article.publishedAt.toISOString().slice(0, 10),
        author: article.authors.map((name) => ({ "@type": "Person", name })),
        publisher: { "@type": "Organization", name: article.publication },
      },
    },
    reviewRating: {
      "@type": "Rating",
      ...(rating ? { ratingValue: rating, bestRating: 5, worstRating: 1 } : {}),
      alternateName: label,
      ...(verdict.publicExplanation ? { ratingExplanation: verdict.publicExplanation } : {}),
    },
  };
}
