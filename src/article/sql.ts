import { Prisma, type Article } from "../generated/prisma/client";
import { wholeRow, type FieldSql } from "../db/columns";

/** An article without its body: bodies are large and rarely selected, so they load on their own. */
export type ArticleSummary = Omit<Article, "body">;

/** ArticleSummary's fields over `article a`. */
export const ARTICLE_FIELDS: FieldSql<ArticleSummary> = {
  id: "a.id",
  url: "a.url",
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
};

const ARTICLE_ROW = wholeRow(ARTICLE_FIELDS);

export function articlesByIdSql(ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT ${ARTICLE_ROW} FROM article a WHERE a.id = ANY(${ids}::uuid[])`;
}
