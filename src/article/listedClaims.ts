import { GraphQLError } from "graphql";

/**
 * How many claims one answer may list through `Article.claims`. The field is a plain list (an
 * article's claims in reading order), so the cost analysis counts it as one item whatever the article
 * holds; without this bound, 30 aliases of an article with 20,181 claims answered 90 MB in 9.9 s and
 * took RSS from 248 to 1,175 MiB for one anonymous request. The same figure as MAX_COST's default:
 * an answer lists no more items here than a costed one may elsewhere.
 */
export const LISTED_CLAIMS_PER_ANSWER = 20_000;

declare module "../graphql/context" {
  interface Context {
    /** Claims listed through `Article.claims` in this answer so far (set on first use). */
    listedClaims?: { count: number };
  }
}

/** Counts an article's claims into the answer's total; past the bound, the field fails with QUERY_COST_LIMIT_EXCEEDED. */
export function countListedClaims(ctx: { listedClaims?: { count: number } }, claims: number): void {
  const listed = (ctx.listedClaims ??= { count: 0 });
  listed.count += claims;
  if (listed.count <= LISTED_CLAIMS_PER_ANSWER) return;
  throw new GraphQLError(
    `an answer may list at most ${LISTED_CLAIMS_PER_ANSWER} claims through Article.claims; page through claims(first:, after:, filter: { articleId }) instead`,
    { extensions: { code: "QUERY_COST_LIMIT_EXCEEDED", maxItems: LISTED_CLAIMS_PER_ANSWER } },
  );
}
