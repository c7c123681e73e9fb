import { Prisma, VerificationStatus, type Claim, type ClaimEventLinkType, type Source, type VerdictChange } from "../generated/prisma/client";
import { ARTICLE_FIELDS, type ArticleSummary } from "../article/sql";
import { FieldMap, Table, WHOLE_ROW, and, listColumn, type FieldColumns } from "../db/columns";
import type { ClaimResolvers } from "../generated/graphql";
import { PLAIN_LIST_ROWS, type CursorPart, type CursorValue } from "../db/paging";
import { SOURCE_FIELDS } from "../source/sql";
import type { ClaimProjection } from "./projection";
import type { ClaimFilter, NestedParent } from "./service";

/**
 * Hand-written SQL for claims, the hot read path: one statement returns a page of claims with
 * their source and article (without its body), where Prisma's include would take three and cost
 * several times the CPU (see bench/README.md); lookups by id skip the ORM for the same reason.
 */

/**
 * A claim row, with its source and article when the query joined them, and its article's body when
 * it was read with the claim (an article page), for its quote.
 */
export type ClaimRow = Claim & { source?: Source; article?: ArticleSummary; articleBody?: string };

export type ClaimOrder = "NEWEST" | "OLDEST" | "STATUS" | "ACTOR";

export const CLAIMS = new Table<Claim>("claim", "c", {
  id: "c.id",
  key: "c.key",
  origin: "c.origin::text",
  articleId: "c.article_id",
  sourceId: "c.source_id",
  text: "c.text",
  kind: "c.kind::text",
  channel: "c.channel::text",
  saidAt: "c.said_at",
  saidAtPrecision: "c.said_at_precision::text",
  quoteStart: "c.quote_start",
  quoteEnd: "c.quote_end",
  quoteExact: "c.quote_exact",
  quotePrefix: "c.quote_prefix",
  quoteSuffix: "c.quote_suffix",
  anchoring: "c.anchoring::text",
  anchorScore: "c.anchor_score",
  note: "c.note",
  status: "c.status::text",
  statusOrigin: "c.status_origin::text",
  attribution: "c.attribution::text",
  attributionOrigin: "c.attribution_origin::text",
  retiredAt: "c.retired_at",
  createdAt: "c.created_at",
  updatedAt: "c.updated_at",
});

export const VERDICT_CHANGES = new Table<VerdictChange>("verdict_change", "v", {
  id: "v.id",
  claimId: "v.claim_id",
  aspect: "v.aspect::text",
  fromStatus: "v.from_status::text",
  toStatus: "v.to_status::text",
  fromAttribution: "v.from_attribution::text",
  toAttribution: "v.to_attribution::text",
  fromAnchoring: "v.from_anchoring::text",
  toAnchoring: "v.to_anchoring::text",
  anchorScore: "v.anchor_score",
  rationale: "v.rationale",
  publicExplanation: "v.public_explanation",
  evidenceUrls: listColumn("v.evidence_urls"),
  changedBy: "v.changed_by",
  apiKeyId: "v.api_key_id",
  createdAt: "v.created_at",
});

/**
 * What each Claim field reads. Lists select only these columns for the fields a client asked for;
 * test/fieldParity.test.ts reads every field through lists and through `node(id:)`.
 */
const CLAIM_FIELDS = new FieldMap(
  CLAIMS,
  {
    id: ["id"],
    key: ["key"],
    origin: ["origin"],
    text: ["text"],
    kind: ["kind"],
    channel: ["channel"],
    saidAt: ["saidAt"],
    saidAtPrecision: ["saidAtPrecision"],
    // Offsets into the article's body, loaded by the article's id.
    quote: ["quoteStart", "quoteEnd", "quoteExact", "quotePrefix", "quoteSuffix", "anchoring", "anchorScore", "articleId"],
    note: ["note"],
    status: ["status"],
    attribution: ["attribution"],
    retiredAt: ["retiredAt"],
    createdAt: ["createdAt"],
    updatedAt: ["updatedAt"],
    source: ["sourceId"],
    article: ["articleId"],
    events: ["id"],
    history: ["id"],
    // Renders the claim with its source and article (claimReview.ts takes whole rows), so all three
    // are read in full, and joined rather than loaded per claim.
    claimReview: WHOLE_ROW,
  } as const satisfies FieldColumns<ClaimResolvers, Claim>,
  {
    statusOrigin: "whether the seed or an editor set the status: decides what a seed refresh may overwrite",
    attributionOrigin: "the same for the attribution",
  },
);
// Always selected: the keys that cursors, loaders and the status filter work from.
const CLAIM_KEYS: (keyof Claim)[] = ["id", "saidAt", "status", "sourceId", "articleId"];

/** Every field: for callers without a GraphQL selection, and for fields that read whole rows. */
const FULL: ClaimProjection = {
  claim: new Set(CLAIM_FIELDS.names),
  source: new Set(SOURCE_FIELDS.names),
  article: new Set(ARTICLE_FIELDS.names),
};

// A joined source's or article's id is the claim's foreign key (toClaimRows), not selected again.
const joined = <Row>(columns: (keyof Row & string)[]) => columns.filter((c) => c !== "id");

/**
 * The SELECT list and joins for a projection, like PostGraphile: only the columns the client asked
 * for are read and transferred, and source/article are joined only when selected.
 */
function selectSql(projection: ClaimProjection, order: ClaimOrder): { columns: Prisma.Sql; joinSource: boolean; joinArticle: boolean } {
  const p = CLAIM_FIELDS.readsWholeRow(projection.claim) ? FULL : projection;
  const columns = CLAIM_FIELDS.select([...CLAIM_KEYS, ...CLAIM_FIELDS.columns(p.claim)]);
  const sourceColumns = joined(SOURCE_FIELDS.columns(p.source ?? []));
  if (order === "ACTOR") sourceColumns.push("name");
  columns.push(...SOURCE_FIELDS.select(sourceColumns, "s_"));
  if (p.article) columns.push(...ARTICLE_FIELDS.select(joined(ARTICLE_FIELDS.columns(p.article)), "a_"));
  return { columns: Prisma.raw([...new Set(columns)].join(", ")), joinSource: p.source !== null || order === "ACTOR", joinArticle: p.article !== null };
}

function joinsSql(source: boolean, article: boolean): Prisma.Sql {
  return Prisma.raw([source ? `JOIN source s ON s.id = c.source_id` : "", article ? `JOIN article a ON a.id = c.article_id` : ""].join(" "));
}

interface OrderSql {
  orderBy: Prisma.Sql;
  cursorShape: CursorPart[];
  cursorOf: (row: ClaimRow) => CursorValue[];
  after: (values: CursorValue[]) => Prisma.Sql;
}

const newestAfter = (saidAt: CursorValue, id: CursorValue) =>
  Prisma.sql`(c.said_at, c.id) < (${new Date(saidAt as string)}::timestamp, ${id as string}::uuid)`;

// Every order ends with the id, so keyset pages never overlap; each matches a composite index.
export const ORDERS: Record<ClaimOrder, OrderSql> = {
  NEWEST: {
    orderBy: Prisma.sql`c.said_at DESC, c.id DESC`,
    cursorShape: ["timestamp", "uuid"],
    cursorOf: (c) => [c.saidAt.toISOString(), c.id],
    after: ([saidAt, id]) => newestAfter(saidAt, id),
  },
  OLDEST: {
    orderBy: Prisma.sql`c.said_at ASC, c.id ASC`,
    cursorShape: ["timestamp", "uuid"],
    cursorOf: (c) => [c.saidAt.toISOString(), c.id],
    after: ([saidAt, id]) => Prisma.sql`(c.said_at, c.id) > (${new Date(saidAt as string)}::timestamp, ${id as string}::uuid)`,
  },
  STATUS: {
    orderBy: Prisma.sql`c.status ASC, c.said_at DESC, c.id DESC`,
    cursorShape: [Object.values(VerificationStatus), "timestamp", "uuid"],
    cursorOf: (c) => [c.status, c.saidAt.toISOString(), c.id],
    after: ([status, saidAt, id]) =>
      Prisma.sql`(c.status > ${status as string}::"VerificationStatus" OR (c.status = ${status as string}::"VerificationStatus" AND ${newestAfter(saidAt, id)}))`,
  },
  ACTOR: {
    orderBy: Prisma.sql`s.name ASC, c.said_at DESC, c.id DESC`,
    cursorShape: ["text", "timestamp", "uuid"],
    cursorOf: (c) => [c.source!.name, c.saidAt.toISOString(), c.id],
    after: ([name, saidAt, id]) => Prisma.sql`(s.name > ${name as string} OR (s.name = ${name as string} AND ${newestAfter(saidAt, id)}))`,
  },
};

/**
 * A page of one event's claims, newest first, for a LATERAL per event (`eventId` is the outer
 * column): walks the link's copy of said_at in the (event_id[, link_type], claim_said_at, claim_id)
 * index. DISTINCT ON drops a claim linked to the event twice (under two link types).
 */
function eventPageSql(
  eventId: Prisma.Sql,
  linkType: ClaimEventLinkType | null,
  conditions: Prisma.Sql[],
  after: CursorValue[] | null,
  limit: number,
  projection: ClaimProjection = FULL,
): Prisma.Sql {
  const { columns, joinSource, joinArticle } = selectSql(projection, "NEWEST");
  const where = [...eventLinks(eventId, linkType), ...conditions];
  if (after) where.push(Prisma.sql`(ce.claim_said_at, ce.claim_id) < (${new Date(after[0] as string)}::timestamp, ${after[1] as string}::uuid)`);
  return Prisma.sql`
    SELECT DISTINCT ON (ce.claim_said_at, ce.claim_id) ${columns}
    FROM claim_event ce JOIN claim c ON c.id = ce.claim_id ${joinsSql(joinSource, joinArticle)}
    WHERE ${and(where)}
    ORDER BY ce.claim_said_at DESC, ce.claim_id DESC
    LIMIT ${limit}`;
}

/** A page of claims (limit rows) matching the conditions, with the selected columns of claim, source and article. */
export function pageSql(conditions: Prisma.Sql[], order: ClaimOrder, limit: number, projection: ClaimProjection = FULL): Prisma.Sql {
  const { columns, joinSource, joinArticle } = selectSql(projection, order);
  return Prisma.sql`
    SELECT ${columns}
    FROM claim c ${joinsSql(joinSource, joinArticle)}
    WHERE ${and(conditions)}
    ORDER BY ${ORDERS[order].orderBy}
    LIMIT ${limit}`;
}

/** Articles' claims, in the order of their quotes in the body (an article page's highlights). */
export function articleClaimsSql(articleIds: readonly string[], includeRetired: boolean): Prisma.Sql {
  const retired = includeRetired ? Prisma.empty : Prisma.sql`AND c.retired_at IS NULL`;
  return CLAIMS.select(Prisma.sql`WHERE c.article_id = ANY(${articleIds}::uuid[]) ${retired} ORDER BY c.quote_start, c.id LIMIT ${PLAIN_LIST_ROWS}`);
}

/** A walk's groups: sources by name (ACTOR) or statuses in enum order (STATUS). */
export type WalkOrder = "ACTOR" | "STATUS";

/**
 * A page in ACTOR or STATUS order that walks its groups in order — sources by name
 * (source_name_idx), or the statuses — and takes at most `limit` of each group's newest claims from
 * the (source_id[, status], said_at, id) or (status, said_at, id) index, so a page reads a few
 * groups' first rows instead of sorting every match (ACTOR, 1M claims: 0.4 ms instead of ~500 ms)
 * or filtering every claim before the cursor (a deep STATUS page). After a cursor, earlier groups
 * are skipped and the cursor's own group seeks past it: the seek is a row comparison whose bound is
 * the cursor in that group and +infinity in later ones, so it stays an index condition.
 * Only for conditions those indexes serve per group (sources, statuses, retired): a selective
 * condition they cannot serve (a search) would make the walk read every group's claims.
 * `sourceIds` (an actor filter) keeps an ACTOR walk to those sources.
 */
export function walkSql(walk: {
  order: WalkOrder;
  conditions: Prisma.Sql[];
  after: CursorValue[] | null;
  sourceIds: string[] | null;
  limit: number;
  projection?: ClaimProjection;
}): Prisma.Sql {
  const { columns, joinSource, joinArticle } = selectSql(walk.projection ?? FULL, walk.order);
  const from = walk.after?.[0] ?? null;
  const groups: Prisma.Sql[] = [];
  let group: { relation: Prisma.Sql; member: Prisma.Sql; is: (value: CursorValue) => Prisma.Sql };
  if (walk.order === "ACTOR") {
    if (from !== null) groups.push(Prisma.sql`s.name >= ${from as string}`);
    if (walk.sourceIds) groups.push(Prisma.sql`s.id = ANY(${walk.sourceIds}::uuid[])`);
    group = { relation: Prisma.sql`source s`, member: Prisma.sql`c.source_id = s.id`, is: (name) => Prisma.sql`s.name = ${name as string}` };
  } else {
    // enum_range(first, NULL): the statuses from the cursor's on, in the enum's (the sort's) order.
    const first = from === null ? Prisma.sql`NULL` : Prisma.sql`${from as string}::"VerificationStatus"`;
    group = {
      relation: Prisma.sql`unnest(enum_range(${first}, NULL::"VerificationStatus")) g(status)`,
      member: Prisma.sql`c.status = g.status`,
      is: (status) => Prisma.sql`g.status = ${status as string}::"VerificationStatus"`,
    };
  }
  const inGroup = [group.member, ...walk.conditions];
  if (walk.after) {
    const [value, saidAt, id] = walk.after;
    const here = group.is(value);
    inGroup.push(Prisma.sql`(c.said_at, c.id) < (
      CASE WHEN ${here} THEN ${new Date(saidAt as string)}::timestamp ELSE 'infinity'::timestamp END,
      CASE WHEN ${here} THEN ${id as string}::uuid ELSE 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid END)`);
  }
  const walked = Prisma.sql`${group.relation} CROSS JOIN LATERAL (
      SELECT * FROM claim c WHERE ${and(inGroup)} ORDER BY c.said_at DESC, c.id DESC LIMIT ${walk.limit}
    ) c`;
  const order = ORDERS[walk.order].orderBy;
  // Sources come presorted by name (an incremental sort stops after the page); the statuses are
  // sorted whole (at most limit rows each), then only the page is joined to sources and articles.
  const claims =
    walk.order === "ACTOR"
      ? Prisma.sql`${walked} ${joinsSql(false, joinArticle)} WHERE ${and(groups)}`
      : Prisma.sql`(SELECT c.* FROM ${walked} ORDER BY ${order} LIMIT ${walk.limit}) c ${joinsSql(joinSource, joinArticle)}`;
  return Prisma.sql`
    SELECT ${columns}
    FROM ${claims}
    ORDER BY ${order}
    LIMIT ${walk.limit}`;
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
  // `__` columns are the statement's own (a total carried beside the page), not the claim's.
  const claimColumns = columns.filter((c) => !c.startsWith("s_") && !c.startsWith("a_") && !c.startsWith("__"));
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

/**
 * `column = ANY($1::"Type"[])`: one parameter whatever the list's length, so a list never makes a new
 * prepared statement; compared as the enum (never `column::text`, which would hide the column from its
 * index). A single value is an equality, so the composite indexes also yield order.
 */
function enumIn(column: string, type: string, values: readonly string[]): Prisma.Sql {
  const distinct = [...new Set(values)];
  const col = Prisma.raw(column);
  const cast = Prisma.raw(`"${type}"`);
  if (distinct.length === 1) return Prisma.sql`${col} = ${distinct[0]}::${cast}`;
  // Through text[]: PGlite's adapter sends the array as text, which does not parse as an enum array.
  return Prisma.sql`${col} = ANY(${distinct}::text[]::${cast}[])`;
}

/** Conditions on `claim_event ce`: the links to an event (a value or an outer column), of one type if given. */
function eventLinks(eventId: Prisma.Sql, linkType: ClaimEventLinkType | null): Prisma.Sql[] {
  const where = [Prisma.sql`ce.event_id = ${eventId}`];
  if (linkType) where.push(enumIn("ce.link_type", "ClaimEventLinkType", [linkType]));
  return where;
}

/** Claims linked to an event (with a link type, only through links of that type). */
export function linkedToEvent(eventId: string, linkType: ClaimEventLinkType | null = null): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM claim_event ce WHERE ce.claim_id = c.id AND ${and(eventLinks(Prisma.sql`${eventId}::uuid`, linkType))})`;
}

/**
 * The conditions of a claim filter (its IDs database ids, its search trimmed), with `actorSourceIds`
 * the sources its actor names (null: no actor). Literal source ids let the planner seek the
 * (source_id, status, said_at, id) index.
 */
export function filterSql(filter: ClaimFilter, actorSourceIds: readonly string[] | null): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (!filter.includeRetired) where.push(Prisma.sql`c.retired_at IS NULL`);
  if (actorSourceIds) {
    where.push(actorSourceIds.length === 1 ? Prisma.sql`c.source_id = ${actorSourceIds[0]}::uuid` : Prisma.sql`c.source_id = ANY(${actorSourceIds}::uuid[])`);
  }
  if (filter.sourceId) where.push(Prisma.sql`c.source_id = ${filter.sourceId}::uuid`);
  if (filter.articleId) where.push(Prisma.sql`c.article_id = ${filter.articleId}::uuid`);
  if (filter.eventId) where.push(linkedToEvent(filter.eventId));
  if (filter.status) where.push(enumIn("c.status", "VerificationStatus", filter.status));
  if (filter.attribution) where.push(enumIn("c.attribution", "AttributionStatus", filter.attribution));
  if (filter.kind) where.push(enumIn("c.kind", "ClaimKind", filter.kind));
  if (filter.anchoring) where.push(enumIn("c.anchoring", "AnchoringState", filter.anchoring));
  if (filter.saidAfter) where.push(Prisma.sql`c.said_at >= ${filter.saidAfter}::timestamp`);
  if (filter.saidBefore) where.push(Prisma.sql`c.said_at < ${filter.saidBefore}::timestamp`);
  // websearch_to_tsquery accepts anything a person types: words, "phrases", -exclusions. The stored
  // search_vector column and its GIN index make a match an index lookup.
  if (filter.search != null) where.push(Prisma.sql`c.search_vector @@ websearch_to_tsquery('english', ${filter.search})`);
  return where;
}

/** Only the given claims. */
export function claimIdsSql(ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`c.id = ANY(${ids}::uuid[])`;
}

/**
 * The first page (newest first) of each parent's claims matching `conditions`, in one statement: a
 * LATERAL page per parent id, each an index seek as for a single parent. Rows carry their parent as `__parentId`
 * (a statement column: toClaimRows leaves it out of the claim, so no claim object is reshaped by a delete).
 */
export function nestedPagesSql(
  parent: NestedParent,
  parentIds: readonly string[],
  page: { conditions: Prisma.Sql[]; linkType: ClaimEventLinkType | null; after: CursorValue[] | null; limit: number; projection?: ClaimProjection },
): Prisma.Sql {
  const { conditions, linkType, after, limit, projection } = page;
  const perParent =
    parent === "source"
      ? pageSql([...conditions, Prisma.sql`c.source_id = p.parent_id`, ...(after ? [ORDERS.NEWEST.after(after)] : [])], "NEWEST", limit, projection)
      : eventPageSql(Prisma.sql`p.parent_id`, linkType, conditions, after, limit, projection);
  return Prisma.sql`
    SELECT p.parent_id AS "__parentId", x.* FROM unnest(${[...parentIds]}::uuid[]) AS p(parent_id)
    CROSS JOIN LATERAL (${perParent}) x`;
}

/** Claims matching `conditions` per event, each event's counted up to `limit` (a claim linked twice once). */
export function eventClaimCountsSql(eventIds: readonly string[], linkType: ClaimEventLinkType | null, conditions: Prisma.Sql[], limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT p.parent_id AS "eventId", (SELECT count(*)::int FROM (
      SELECT DISTINCT ce.claim_id FROM claim_event ce JOIN claim c ON c.id = ce.claim_id
      WHERE ${and([...eventLinks(Prisma.sql`p.parent_id`, linkType), ...conditions])} LIMIT ${limit}) m) AS n
    FROM unnest(${[...eventIds]}::uuid[]) AS p(parent_id)`;
}
