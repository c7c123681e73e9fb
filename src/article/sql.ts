import { Prisma, type Article } from "../generated/prisma/client";
import type { ArticleResolvers } from "../generated/graphql";
import { FieldMap, Table, type FieldColumns } from "../db/columns";

/** An article without its body: bodies are large and rarely selected, so they load on their own. */
export type ArticleSummary = Omit<Article, "body">;

export const ARTICLES = new Table<ArticleSummary>("article", "a", {
  id: "a.id",
  url: "a.url",
  urlVerified: "a.url_verified",
  urlNote: "a.url_note",
  slug: "a.slug",
  title: "a.title",
  publication: "a.publication",
  authors: "a.authors",
  section: "a.section",
  brand: "a.brand",
  tags: "a.tags",
  topic: "a.topic",
  region: "a.region",
  publishedAt: "a.published_at",
  contentHash: "a.content_hash",
  createdAt: "a.created_at",
  updatedAt: "a.updated_at",
});

/** What each Article field reads, for the articles joined into claim lists (src/claim/sql.ts). */
export const ARTICLE_FIELDS = new FieldMap(
  ARTICLES,
  {
    id: ["id"],
    url: ["url"],
    urlVerified: ["urlVerified"],
    urlNote: ["urlNote"],
    slug: ["slug"],
    title: ["title"],
    publication: ["publication"],
    authors: ["authors"],
    section: ["section"],
    brand: ["brand"],
    tags: ["tags"],
    topic: ["topic"],
    region: ["region"],
    publishedAt: ["publishedAt"],
    contentHash: ["contentHash"],
    createdAt: ["createdAt"],
    updatedAt: ["updatedAt"],
    // Loaded by the article's id: the body is not in the summary row, nor are the lists.
    body: ["id"],
    claims: ["id"],
    events: ["id"],
    claimProposals: ["id"],
  } as const satisfies FieldColumns<ArticleResolvers, ArticleSummary>,
  {},
);

/** Locks an article's row for the transaction, returning its content hash. */
export function lockArticleSql(id: string): Prisma.Sql {
  return Prisma.sql`SELECT content_hash FROM article WHERE id = ${id}::uuid FOR UPDATE`;
}
