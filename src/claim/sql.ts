import { Prisma, type Article, type Claim, type Source } from "../generated/prisma/client";
import type { CursorValue } from "../graphql/connection";

/**
 * Hand-written SQL for the claim lists, the hot read path: one statement returns a page of claims
 * with their source and article (without its body), where Prisma's include would take three and
 * cost several times the CPU (see bench/README.md).
 */

export type ArticleSummary = Omit<Article, "body">;
/** A claim row, with its source and article when the query joined them. */
export type ClaimRow = Claim & { source?: Source; article?: ArticleSummary };

export type ClaimOrder = "NEWEST" | "OLDEST" | "STATUS" | "ACTOR";

const CLAIM_COLUMNS = Prisma.sql`
  c.id, c.key, c.origin::text AS origin, c.article_id AS "articleId", c.source_id AS "sourceId", c.text,
  c.kind::text AS kind, c.channel::text AS channel, c.said_at AS "saidAt", c.said_at_precision::text AS "saidAtPrecision",
  c.quote_start AS "quoteStart", c.quote_end AS "quoteEnd", c.quote_exact AS "quoteExact",
  c.status::text AS status, c.status_origin::text AS "statusOrigin", c.attribution::text AS attribution,
  c.attribution_origin::text AS "attributionOrigin", c.retired_at AS "retiredAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

const SOURCE_COLUMNS = Prisma.sql`
  s.slug AS "s_slug", s.name AS "s_name", s.kind::text AS "s_kind", s.role AS "s_role", s.description AS "s_description",
  s.wikidata_id AS "s_wikidataId", s.affiliation_id AS "s_affiliationId", s.created_at AS "s_createdAt", s.updated_at AS "s_updatedAt"`;

const ARTICLE_COLUMNS = Prisma.sql`
  a.url AS "a_url", a.slug AS "a_slug", a.title AS "a_title", a.publication AS "a_publication", a.authors AS "a_authors",
  a.section AS "a_section", a.brand AS "a_brand", a.tags AS "a_tags", a.topic AS "a_topic", a.region AS "a_region",
  a.published_at AS "a_publishedAt", a.content_hash AS "a_contentHash", a.created_at AS "a_createdAt", a.updated_at AS "a_updatedAt"`;

interface OrderSql {
  orderBy: Prisma.Sql;
  cursorShape: ("string" | "number")[];
  cursorOf: (row: ClaimRow) => CursorValue[];
  after: (values: CursorValue[]) => Prisma.Sql;
}

const newestAfter = (saidAt: CursorValue, id: CursorValue) =>
  Prisma.sql`(c.said_at, c.id) < (${new Date(saidAt as string)}::timestamp, ${id as string}::uuid)`;

// Every order ends with the id, so keyset pages never overlap; each matches a composite index.
export const ORDERS: Record<ClaimOrder, OrderSql> = {
  NEWEST: {
    orderBy: Prisma.sql`c.said_at DESC, c.id DESC`,
    cursorShape: ["string", "string"],
    cursorOf: (c) => [c.saidAt.toISOString(), c.id],
    after: ([saidAt, id]) => newestAfter(saidAt, id),
  },
  OLDEST: {
    orderBy: Prisma.sql`c.said_at ASC, c.id ASC`,
    cursorShape: ["string", "string"],
    cursorOf: (c) => [c.saidAt.toISOString(), c.id],
    after: ([saidAt, id]) => Prisma.sql`(c.said_at, c.id) > (${new Date(saidAt as string)}::timestamp, ${id as string}::uuid)`,
  },
  STATUS: {
    orderBy: Prisma.sql`c.status ASC, c.said_at DESC, c.id DESC`,
    cursorShape: ["string", "string", "string"],
    cursorOf: (c) => [c.status, c.saidAt.toISOString(), c.id],
    after: ([status, saidAt, id]) =>
      Prisma.sql`(c.status > ${status as string}::"VerificationStatus" OR (c.status = ${status as string}::"VerificationStatus" AND ${newestAfter(saidAt, id)}))`,
  },
  ACTOR: {
    orderBy: Prisma.sql`s.name ASC, c.said_at DESC, c.id DESC`,
    cursorShape: ["string", "string", "string"],
    cursorOf: (c) => [c.source!.name, c.saidAt.toISOString(), c.id],
    after: ([name, saidAt, id]) => Prisma.sql`(s.name > ${name as string} OR (s.name = ${name as string} AND ${newestAfter(saidAt, id)}))`,
  },
};

export function and(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;
}

/** A page of claims (limit rows) matching the conditions, joined with source and article. */
export function pageSql(conditions: Prisma.Sql[], order: OrderSql, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT ${CLAIM_COLUMNS}, ${SOURCE_COLUMNS}, ${ARTICLE_COLUMNS}
    FROM claim c
    JOIN source s ON s.id = c.source_id
    JOIN article a ON a.id = c.article_id
    WHERE ${and(conditions)}
    ORDER BY ${order.orderBy}
    LIMIT ${limit}`;
}

export function countSql(conditions: Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS n FROM claim c WHERE ${and(conditions)}`;
}

/** Splits a joined row into the claim with its source and article attached. */
export function toClaimRow(row: Record<string, unknown>): ClaimRow {
  const claim: Record<string, unknown> = {};
  const source: Record<string, unknown> = { id: row.sourceId };
  const article: Record<string, unknown> = { id: row.articleId };
  for (const [column, value] of Object.entries(row)) {
    if (column.startsWith("s_")) source[column.slice(2)] = value;
    else if (column.startsWith("a_")) article[column.slice(2)] = value;
    else claim[column] = value;
  }
  return { ...(claim as Claim), source: source as Source, article: article as ArticleSummary };
}
