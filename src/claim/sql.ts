import { Prisma, type Article, type Claim, type Source } from "../generated/prisma/client";
import type { CursorValue } from "../graphql/connection";
import type { ClaimProjection } from "./projection";

/**
 * Hand-written SQL for the claim lists, the hot read path: one statement returns a page of claims
 * with their source and article (without its body), where Prisma's include would take three and
 * cost several times the CPU (see bench/README.md).
 */

export type ArticleSummary = Omit<Article, "body">;
/** A claim row, with its source and article when the query joined them. */
export type ClaimRow = Claim & { source?: Source; article?: ArticleSummary };

export type ClaimOrder = "NEWEST" | "OLDEST" | "STATUS" | "ACTOR";

// GraphQL field → the columns it needs. Fields resolved through loaders (events, history, a source's
// claims, …) need only the row's id, which is always selected.
const CLAIM_COLUMNS: Record<string, string[]> = {
  key: [`c.key`],
  origin: [`c.origin::text AS origin`],
  text: [`c.text`],
  kind: [`c.kind::text AS kind`],
  channel: [`c.channel::text AS channel`],
  saidAtPrecision: [`c.said_at_precision::text AS "saidAtPrecision"`],
  quote: [`c.quote_start AS "quoteStart"`, `c.quote_end AS "quoteEnd"`, `c.quote_exact AS "quoteExact"`],
  attribution: [`c.attribution::text AS attribution`],
  retiredAt: [`c.retired_at AS "retiredAt"`],
  createdAt: [`c.created_at AS "createdAt"`],
  updatedAt: [`c.updated_at AS "updatedAt"`],
};
// Always selected: the keys that cursors, loaders and the status filter work from.
const CLAIM_KEYS = [`c.id`, `c.said_at AS "saidAt"`, `c.status::text AS status`, `c.source_id AS "sourceId"`, `c.article_id AS "articleId"`];

const SOURCE_COLUMNS: Record<string, string> = {
  slug: `s.slug AS "s_slug"`,
  name: `s.name AS "s_name"`,
  kind: `s.kind::text AS "s_kind"`,
  role: `s.role AS "s_role"`,
  description: `s.description AS "s_description"`,
  wikidataId: `s.wikidata_id AS "s_wikidataId"`,
  affiliation: `s.affiliation_id AS "s_affiliationId"`,
  createdAt: `s.created_at AS "s_createdAt"`,
  updatedAt: `s.updated_at AS "s_updatedAt"`,
};

const ARTICLE_COLUMNS: Record<string, string> = {
  url: `a.url AS "a_url"`,
  slug: `a.slug AS "a_slug"`,
  title: `a.title AS "a_title"`,
  publication: `a.publication AS "a_publication"`,
  authors: `a.authors AS "a_authors"`,
  section: `a.section AS "a_section"`,
  brand: `a.brand AS "a_brand"`,
  tags: `a.tags AS "a_tags"`,
  topic: `a.topic AS "a_topic"`,
  region: `a.region AS "a_region"`,
  publishedAt: `a.published_at AS "a_publishedAt"`,
  contentHash: `a.content_hash AS "a_contentHash"`,
  createdAt: `a.created_at AS "a_createdAt"`,
  updatedAt: `a.updated_at AS "a_updatedAt"`,
};

/** Everything: for callers without a GraphQL selection, and for fields (claimReview) that read whole rows. */
const FULL: ClaimProjection = {
  claim: new Set(Object.keys(CLAIM_COLUMNS)),
  source: new Set(Object.keys(SOURCE_COLUMNS)),
  article: new Set(Object.keys(ARTICLE_COLUMNS)),
};

/**
 * The SELECT list and joins for a projection, like PostGraphile: only the columns the client asked
 * for are read and transferred, and source/article are joined only when selected.
 */
function selectSql(projection: ClaimProjection, order: ClaimOrder): { columns: Prisma.Sql; joins: Prisma.Sql } {
  const p = projection.claim.has("claimReview") ? FULL : projection;
  const columns = [...CLAIM_KEYS, ...[...p.claim].flatMap((f) => CLAIM_COLUMNS[f] ?? [])];
  const joinSource = p.source !== null || order === "ACTOR";
  if (p.source) columns.push(...[...p.source].flatMap((f) => SOURCE_COLUMNS[f] ?? []));
  if (order === "ACTOR" && !p.source?.has("name")) columns.push(SOURCE_COLUMNS.name);
  if (p.article) columns.push(...[...p.article].flatMap((f) => ARTICLE_COLUMNS[f] ?? []));
  const joins = [
    joinSource ? `JOIN source s ON s.id = c.source_id` : "",
    p.article ? `JOIN article a ON a.id = c.article_id` : "",
  ].join(" ");
  return { columns: Prisma.raw([...new Set(columns)].join(", ")), joins: Prisma.raw(joins) };
}

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

/** A page of claims (limit rows) matching the conditions, with the selected columns of claim, source and article. */
export function pageSql(conditions: Prisma.Sql[], order: ClaimOrder, limit: number, projection: ClaimProjection = FULL): Prisma.Sql {
  const { columns, joins } = selectSql(projection, order);
  return Prisma.sql`
    SELECT ${columns}
    FROM claim c ${joins}
    WHERE ${and(conditions)}
    ORDER BY ${ORDERS[order].orderBy}
    LIMIT ${limit}`;
}

export function countSql(conditions: Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS n FROM claim c WHERE ${and(conditions)}`;
}

/**
 * Splits joined rows into claims with their source and article attached (the `s_`/`a_` columns).
 * Rows are partial when a projection was used; only the fields the client selected are then ever
 * read. Fresh objects, not the driver's rows: GraphQL execution over pg's row objects measured a
 * fifth slower per request (bench/README.md). The column split is worked out once per page.
 */
export function toClaimRows(rows: Record<string, unknown>[]): ClaimRow[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const joined = (prefix: string) => columns.filter((c) => c.startsWith(prefix)).map((c) => [c, c.slice(prefix.length)] as const);
  const sourceColumns = joined("s_");
  const articleColumns = joined("a_");
  const claimColumns = columns.filter((c) => !c.startsWith("s_") && !c.startsWith("a_"));
  return rows.map((row) => {
    const claim: Record<string, unknown> = {};
    for (const column of claimColumns) claim[column] = row[column];
    if (sourceColumns.length) {
      const source: Record<string, unknown> = { id: row.sourceId };
      for (const [column, field] of sourceColumns) source[field] = row[column];
      claim.source = source;
    }
    if (articleColumns.length) {
      const article: Record<string, unknown> = { id: row.articleId };
      for (const [column, field] of articleColumns) article[field] = row[column];
      claim.article = article;
    }
    return claim as unknown as ClaimRow;
  });
}
