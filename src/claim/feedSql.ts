import { Prisma } from "../generated/prisma/client";
import { ARTICLES, ARTICLE_FIELDS } from "../article/sql";
import { and } from "../db/columns";
import { SOURCES, SOURCE_FIELDS } from "../source/sql";
import { CLAIMS, VERDICT_CHANGES } from "./sql";

/**
 * The ClaimReview DataFeed's SQL (src/claim/reviewFeed.ts): whole claims with their source and
 * article (as toClaimRows splits them: `s_`/`a_` columns), and their latest verdicts.
 */

/** A verdict a ClaimReview can be published for (`UNVERIFIED` and `IN_REVIEW` are none); the predicate of claim_published_updated_at_id_idx. */
const PUBLISHED = Prisma.sql`c.status NOT IN ('UNVERIFIED', 'IN_REVIEW') AND c.retired_at IS NULL`;

// A joined source's or article's id is the claim's foreign key, not selected again.
const COLUMNS = Prisma.raw(
  [
    CLAIMS.row.sql,
    ...SOURCE_FIELDS.select(Object.keys(SOURCES.fields).filter((c) => c !== "id") as (keyof typeof SOURCES.fields)[], "s_"),
    ...ARTICLE_FIELDS.select(Object.keys(ARTICLES.fields).filter((c) => c !== "id") as (keyof typeof ARTICLES.fields)[], "a_"),
  ].join(", "),
);

/**
 * A page of the feed: claims with a published verdict, by (updated_at, id) from `since` (inclusive)
 * and after the cursor, from the partial index that holds only those claims — a range scan of `limit`
 * rows however many claims are unverified.
 */
export function publishedPageSql(page: { since: Date | null; after: { updatedAt: Date; id: string } | null; limit: number }): Prisma.Sql {
  const conditions = [PUBLISHED];
  if (page.since) conditions.push(Prisma.sql`c.updated_at >= ${page.since}::timestamp`);
  if (page.after) conditions.push(Prisma.sql`(c.updated_at, c.id) > (${page.after.updatedAt}::timestamp, ${page.after.id}::uuid)`);
  return Prisma.sql`
    SELECT ${COLUMNS}
    FROM claim c JOIN source s ON s.id = c.source_id JOIN article a ON a.id = c.article_id
    WHERE ${and(conditions)}
    ORDER BY c.updated_at, c.id
    LIMIT ${page.limit}`;
}

/** Each claim's latest `VERIFICATION` change (the one a published ClaimReview is dated by), one row per claim. */
export function latestVerdictsSql(claimIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT ON (v.claim_id) ${VERDICT_CHANGES.row} FROM ${VERDICT_CHANGES.from}
    WHERE v.claim_id = ANY(${claimIds}::uuid[]) AND v.aspect = 'VERIFICATION'
    ORDER BY v.claim_id, v.created_at DESC, v.id DESC`;
}
