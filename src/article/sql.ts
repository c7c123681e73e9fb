import { Prisma, type Article, type ArticleEvent } from "../generated/prisma/client";
import type { ArticleFilter, ArticleResolvers } from "../generated/graphql";
import { FieldMap, Table, listColumn, type FieldColumns } from "../db/columns";
import { Keyset } from "../db/keyset";
import { PLAIN_LIST_ROWS } from "../db/paging";
import { containing } from "../db/like";

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
  authors: listColumn("a.authors"),
  section: "a.section",
  brand: "a.brand",
  tags: listColumn("a.tags"),
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

/** Articles newest first (the (published_at DESC, id DESC) index). */
export const NEWEST_ARTICLES = new Keyset(ARTICLES, [["publishedAt", "timestamp"], ["id", "uuid"]], "DESC");

/** The article list's conditions for a filter (`eventId` a database id). */
export function articleFilterSql(filter: ArticleFilter | null | undefined): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filter?.search) where.push(Prisma.sql`a.title ILIKE ${containing(filter.search.trim())}`);
  if (filter?.publication) where.push(Prisma.sql`a.publication = ${filter.publication}`);
  if (filter?.eventId) {
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM article_event ae WHERE ae.article_id = a.id AND ae.event_id = ${filter.eventId}::uuid)`);
  }
  return where;
}

/** How an article is looked up: by id (a database id), slug or URL, all unique. */
export type ArticleKey = { id?: string | null; slug?: string | null; url?: string | null };

/** The condition on `article a` that finds the article with this id, else this slug, else this URL. */
export function articleWhere(by: ArticleKey): Prisma.Sql {
  if (by.id) return Prisma.sql`a.id = ${by.id}::uuid`;
  return by.slug ? Prisma.sql`a.slug = ${by.slug}` : Prisma.sql`a.url = ${by.url}`;
}

/** The article with this slug, or else this URL. */
export function articleBySql(by: ArticleKey): Prisma.Sql {
  return ARTICLES.select(Prisma.sql`WHERE ${articleWhere(by)}`);
}

/** The bodies of a batch of articles. */
export function bodiesSql(ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT a.id, a.body FROM article a WHERE a.id = ANY(${ids}::uuid[])`;
}

export const ARTICLE_EVENTS = new Table<ArticleEvent>("article_event", "ae", {
  articleId: "ae.article_id",
  eventId: "ae.event_id",
  dateAsWritten: "ae.date_as_written",
  discrepancy: "ae.discrepancy",
});

/**
 * The event mentions of a batch of articles, in the timeline's order, or of a batch of events,
 * newest article first.
 */
export function mentionsSql(of: "article" | "event", ids: readonly string[]): Prisma.Sql {
  return ARTICLE_EVENTS.select(
    of === "article"
      ? Prisma.sql`JOIN event e ON e.id = ae.event_id WHERE ae.article_id = ANY(${ids}::uuid[]) ORDER BY e.occurred_at, ae.event_id LIMIT ${PLAIN_LIST_ROWS}`
      : Prisma.sql`JOIN article a ON a.id = ae.article_id WHERE ae.event_id = ANY(${ids}::uuid[]) ORDER BY a.published_at DESC, ae.article_id LIMIT ${PLAIN_LIST_ROWS}`,
  );
}

/**
 * Locks an article's row for the transaction, returning its content hash: a body correction takes it,
 * and so does everything that computes offsets against the body (claimsArticleSql), so offsets are
 * never computed from a body that changes before they are stored.
 */
export function lockArticleSql(id: string): Prisma.Sql {
  return Prisma.sql`SELECT content_hash FROM article WHERE id = ${id}::uuid FOR UPDATE`;
}

/**
 * Locks the row of the article a claim's offsets are computed against, FOR SHARE until the commit:
 * claim writes on one article run side by side, a correction (lockArticleSql, FOR UPDATE) waits for
 * them, and they wait for it. Read the body after it (READ COMMITTED: the corrected one). Taken
 * before any claim row, as a correction does (lock order). Returns the content hash.
 */
export function shareArticleSql(id: string): Prisma.Sql {
  return Prisma.sql`SELECT content_hash FROM article WHERE id = ${id}::uuid FOR SHARE`;
}
