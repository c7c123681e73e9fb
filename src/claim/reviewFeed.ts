import type { VerdictChange } from "../generated/prisma/client";
import type { ReviewPublisher } from "../config";
import type { SqlReader } from "../db/database";
import { toGlobalId } from "../graphql/globalId";
import { claimReview } from "./claimReview";
import { latestVerdictsSql, publishedPageSql } from "./feedSql";
import { toClaimRows } from "./sql";

/** Where a page of the feed starts: claims changed at or after `since`, after the cursor's claim. */
export interface FeedPosition {
  since: Date | null;
  after: { updatedAt: Date; id: string } | null;
  limit: number;
}

export interface FeedPage {
  /** The schema.org DataFeed of this page's ClaimReviews. */
  feed: Record<string, unknown>;
  /** Where the next page starts, or null on the last page. */
  next: { updatedAt: Date; id: string } | null;
}

/**
 * A page of the ClaimReview DataFeed: the published ClaimReviews of the claims changed since a date,
 * each a DataFeedItem with its dateModified (the claim's last change, verdicts included), oldest
 * change first, so a reader can follow the feed incrementally. Two statements whatever the page
 * size: the claims with their source and article, then their latest verdicts.
 */
export async function reviewFeedPage(read: SqlReader, publisher: ReviewPublisher, position: FeedPosition, signal?: AbortSignal): Promise<FeedPage> {
  // One row more than the page tells whether another page follows.
  const rows = toClaimRows(await read<Record<string, unknown>>(publishedPageSql({ ...position, limit: position.limit + 1 }), signal));
  const page = rows.slice(0, position.limit);
  const verdicts = page.length ? await read<VerdictChange>(latestVerdictsSql(page.map((c) => c.id)), signal) : [];
  const verdictOf = new Map(verdicts.map((v) => [v.claimId, v]));
  const elements = [];
  for (const claim of page) {
    const verdict = verdictOf.get(claim.id);
    // A status without a recorded verdict has no review to publish (claimReview says null).
    const review = claimReview(claim, toGlobalId("Claim", claim.id), claim.source!, claim.article!, verdict ? [verdict] : [], publisher);
    if (!review) continue;
    const { "@context": _context, ...item } = review;
    elements.push({ "@type": "DataFeedItem", dateModified: claim.updatedAt.toISOString(), item });
  }
  const last = page.at(-1);
  return {
    feed: {
      "@context": "https://schema.org",
      "@type": "DataFeed",
      name: `${publisher.name}: fact checks (ClaimReview)`,
      ...(last ? { dateModified: last.updatedAt.toISOString() } : {}),
      dataFeedElement: elements,
    },
    next: rows.length > position.limit && last ? { updatedAt: last.updatedAt, id: last.id } : null,
  };
}
