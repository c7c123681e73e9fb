// The frontend workload: one named operation per screen of a fact-checking desk, as the frontend
// sends it, for claimgraph, for PostGraphile where its generated API can express it, and for the
// raw node:http + pg ceiling. The right answer of each is computed before any load by running the
// raw ceiling's SQL (servers/rawOps.mjs) directly, and every server must give it.
import type pg from "pg";
import { encodeCursor } from "../../src/db/paging";
import { toGlobalId } from "../../src/graphql/globalId";
import { TOPICS } from "../generate";
import { CORE_PAGE } from "./queries";
// @ts-expect-error: plain JavaScript module shared with the raw server
import { ops as rawOps } from "../servers/rawOps.mjs";

export type ServerName = "claimgraph" | "postgraphile" | "raw" | "claimgraph-cached";
type Order = "NEWEST" | "OLDEST" | "STATUS" | "ACTOR";
const ORDER_NAMES: Order[] = ["NEWEST", "OLDEST", "STATUS", "ACTOR"];

interface Pair { sourceId: string; status: string; count: number }
interface DeepCursor { values: (string | Date)[]; pgCursor?: string; position: number }
export interface Params {
  pairs: Pair[];
  deep: (Pair & { saidAt: Date; id: string; pgCursor?: string })[];
  claims: { id: string; history: number }[];
  statuses: string[];
  actors: { name: string; alias: string }[];
  rare: string[];
  orderCursors: Record<Order, DeepCursor[]>;
  articles: string[];
  froms: string[];
  offsets: number[];
}

interface ServerSpec { body: (p: Params, i: number) => string; texts: (json: any) => unknown }
export interface Operation {
  /** What it stands for on the desk. */
  screen: string;
  count: (p: Params) => number;
  servers: Partial<Record<ServerName, ServerSpec>>;
  /** The raw ceiling's operation and parameters: also the source of the right answer. */
  raw?: { op: string; params: (p: Params, i: number) => Record<string, unknown> };
}

const gql = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
const cycle = <T>(xs: T[], i: number) => xs[i % xs.length];
const texts = (rows: any[]) => rows.map((r) => r.text);
const pageTexts = (c: any) => (c.edges ?? c.nodes).map((e: any) => (e.node ?? e).text);
const rawTotal = (rows: any[]) => rows[0]?.total ?? 0;

// The frontend's main claim list (README "Claims by actor and status").
const CG_LIST = `query($f: ClaimFilter, $o: ClaimOrder, $after: String) {
  claims(filter: $f, orderBy: $o, first: 20, after: $after) {
    totalCount totalCountIsExact
    edges { cursor node { id text kind status saidAt source { name } article { title } } }
    pageInfo { hasNextPage endCursor }
  } }`;
const PGL_PAGE = `query($s: UUID!, $st: VerificationStatus!, $after: Cursor) { allClaims(condition: { sourceId: $s, status: $st }, orderBy: [SAID_AT_DESC, PRIMARY_KEY_DESC], first: 20, after: $after) { nodes { text saidAt sourceBySourceId { name } articleByArticleId { title } } pageInfo { hasNextPage endCursor } } }`;
// PostGraphile offers no order by status or by the source's name.
const PGL_ORDER: Record<"NEWEST" | "OLDEST", string> = {
  NEWEST: "[SAID_AT_DESC, PRIMARY_KEY_DESC]",
  OLDEST: "[SAID_AT_ASC, PRIMARY_KEY_ASC]",
};
const pglList = (order: string, condition = "") => `query(${condition ? "$st: VerificationStatus, " : ""}$after: Cursor) {
  allClaims(${condition} orderBy: ${order}, first: 20, after: $after) {
    totalCount nodes { id text kind status saidAt sourceBySourceId { name } articleByArticleId { title } } pageInfo { hasNextPage endCursor } } }`;

/** Stands for a total claimgraph marks as an estimate (`totalCountIsExact: false`): not compared. */
const ESTIMATE = "estimate";

/** A claim list answer: the page's texts, and the total unless it is a marked estimate. */
const cgList = (withTotal: boolean) => (j: any) => [
  withTotal ? (j.data.claims.totalCountIsExact ? j.data.claims.totalCount : ESTIMATE) : null,
  pageTexts(j.data.claims),
];

/** Whether an answer is the right one; a total marked as an estimate is not compared. */
export function sameAnswer(got: unknown, expected: unknown): boolean {
  if (Array.isArray(got) && Array.isArray(expected) && got[0] === ESTIMATE) return JSON.stringify(got.slice(1)) === JSON.stringify(expected.slice(1));
  return JSON.stringify(got) === JSON.stringify(expected);
}
const rawList = (withTotal: boolean) => (j: any) => [withTotal ? rawTotal(j.data) : null, texts(j.data)];

function list(screen: string, count: (p: Params) => number, filter: (p: Params, i: number) => Record<string, unknown>, raw: Operation["raw"]): Operation {
  return {
    screen,
    count,
    raw,
    servers: {
      claimgraph: { body: (p, i) => gql(CG_LIST, { f: filter(p, i) }), texts: cgList(true) },
      raw: { body: () => "", texts: rawList(true) },
    },
  };
}

function ordered(order: Order, deep: boolean): Operation {
  const cursor = (p: Params, i: number) => cycle(p.orderCursors[order], i);
  const servers: Operation["servers"] = {
    // The total (from the counters) is asked for but not compared: the raw ceiling does not count.
    claimgraph: {
      body: (p, i) => gql(CG_LIST, { o: order, after: deep ? encodeCursor(cursor(p, i).values.map((v) => (v instanceof Date ? v.toISOString() : v))) : null }),
      texts: cgList(false),
    },
    raw: { body: () => "", texts: rawList(false) },
  };
  if (order === "NEWEST" || order === "OLDEST") {
    servers.postgraphile = {
      body: (p, i) => gql(pglList(PGL_ORDER[order]), { after: deep ? cursor(p, i).pgCursor : null }),
      texts: (j) => [null, texts(j.data.allClaims.nodes)],
    };
  }
  return {
    screen: `all claims ordered ${order}, ${deep ? "a deep page (after the 1000th–5000th claim)" : "first page"}, with totalCount`,
    count: (p) => (deep ? p.orderCursors[order].length : 1),
    raw: { op: "ordered", params: (p, i) => ({ order, after: deep ? cursor(p, i).values : null }) },
    servers,
  };
}

export const OPS: Record<string, Operation> = {
  "core-first": {
    screen: "one actor's claims with one status, first page (the core list)",
    count: (p) => p.pairs.length,
    raw: { op: "core", params: (p, i) => ({ ...p.pairs[i] }) },
    servers: {
      claimgraph: { body: (p, i) => gql(CORE_PAGE, { s: toGlobalId("Source", p.pairs[i].sourceId), st: [p.pairs[i].status] }), texts: (j) => pageTexts(j.data.claims) },
      postgraphile: { body: (p, i) => gql(PGL_PAGE, { s: p.pairs[i].sourceId, st: p.pairs[i].status }), texts: (j) => texts(j.data.allClaims.nodes) },
      raw: { body: () => "", texts: (j) => texts(j.data) },
    },
  },
  "core-deep": {
    screen: "the core list after its 1000th claim",
    count: (p) => p.deep.length,
    raw: { op: "core", params: (p, i) => ({ ...p.deep[i], saidAt: p.deep[i].saidAt.toISOString() }) },
    servers: {
      claimgraph: {
        body: (p, i) => gql(CORE_PAGE, { s: toGlobalId("Source", p.deep[i].sourceId), st: [p.deep[i].status], after: encodeCursor([p.deep[i].saidAt.toISOString(), p.deep[i].id]) }),
        texts: (j) => pageTexts(j.data.claims),
      },
      postgraphile: { body: (p, i) => gql(PGL_PAGE, { s: p.deep[i].sourceId, st: p.deep[i].status, after: p.deep[i].pgCursor }), texts: (j) => texts(j.data.allClaims.nodes) },
      raw: { body: () => "", texts: (j) => texts(j.data) },
    },
  },
  "review-queue": {
    screen: "the review queue: every claim with one status, newest first, with totalCount",
    count: (p) => p.statuses.length,
    raw: { op: "queue", params: (p, i) => ({ status: p.statuses[i] }) },
    servers: {
      claimgraph: { body: (p, i) => gql(CG_LIST, { f: { status: [p.statuses[i]] } }), texts: cgList(true) },
      postgraphile: {
        body: (p, i) => gql(pglList(PGL_ORDER.NEWEST, "condition: { status: $st },"), { st: p.statuses[i] }),
        texts: (j) => [j.data.allClaims.totalCount, texts(j.data.allClaims.nodes)],
      },
      raw: { body: () => "", texts: rawList(true) },
    },
  },
  "actor-name": list("claims by actor name, UNVERIFIED or IN_REVIEW, with totalCount", (p) => p.actors.length, (p, i) => ({ actor: p.actors[i].name, status: ["UNVERIFIED", "IN_REVIEW"] }), {
    op: "byActor",
    params: (p, i) => ({ actor: p.actors[i].name }),
  }),
  "actor-alias": list("the same by an alias of the actor", (p) => p.actors.length, (p, i) => ({ actor: p.actors[i].alias, status: ["UNVERIFIED", "IN_REVIEW"] }), {
    op: "byActor",
    params: (p, i) => ({ actor: p.actors[i].alias }),
  }),
  "search-rare": list("search for a word in at most six claims, with totalCount", (p) => p.rare.length, (p, i) => ({ search: p.rare[i] }), {
    op: "search",
    params: (p, i) => ({ search: p.rare[i] }),
  }),
  // 5% of all claims match: the total is an estimate (totalCountIsExact: false), so only the page is compared.
  "search-common": list("search for a topic word in 5% of claims, with totalCount", () => TOPICS.length, (_, i) => ({ search: TOPICS[i] }), {
    op: "search",
    params: (_, i) => ({ search: TOPICS[i] }),
  }),
  "search-actor-status": list(
    "search for a topic word within one actor's UNVERIFIED claims (by alias), with totalCount",
    (p) => p.actors.length,
    (p, i) => ({ search: cycle(TOPICS, i), actor: p.actors[i].alias, status: ["UNVERIFIED"] }),
    { op: "search", params: (p, i) => ({ search: cycle(TOPICS, i), actor: p.actors[i].alias }) },
  ),
  ...Object.fromEntries(ORDER_NAMES.flatMap((o) => [[`order-${o.toLowerCase()}-first`, ordered(o, false)], [`order-${o.toLowerCase()}-deep`, ordered(o, true)]])),
  "actor-page": {
    screen: "an actor's page: the source and its 20 newest claims",
    count: (p) => p.pairs.length,
    raw: { op: "actor", params: (p, i) => ({ sourceId: p.pairs[i].sourceId }) },
    servers: {
      claimgraph: {
        body: (p, i) => gql(`query($s: ID!) { source(id: $s) { name role claims(first: 20) { nodes { text status saidAt } } } }`, { s: toGlobalId("Source", p.pairs[i].sourceId) }),
        texts: (j) => texts(j.data.source.claims.nodes),
      },
      postgraphile: {
        body: (p, i) => gql(`query($s: UUID!) { sourceByRowId(rowId: $s) { name role claimsBySourceId(first: 20, orderBy: [SAID_AT_DESC, PRIMARY_KEY_DESC]) { nodes { text status saidAt } } } }`, { s: p.pairs[i].sourceId }),
        texts: (j) => texts(j.data.sourceByRowId.claimsBySourceId.nodes),
      },
      raw: { body: () => "", texts: (j) => texts(j.data) },
    },
  },
  "article-page": {
    screen: "an article with its highlighted quotes and events (README example)",
    count: (p) => p.articles.length,
    raw: { op: "article", params: (p, i) => ({ slug: p.articles[i] }) },
    servers: {
      claimgraph: {
        body: (p, i) =>
          gql(
            `query($slug: String!) { article(slug: $slug) { title publication authors publishedAt body
              claims { text kind source { name } quote { start end exact prefix suffix } }
              events { dateAsWritten discrepancy event { title occurredAt occurredPrecision } } } }`,
            { slug: p.articles[i] },
          ),
        texts: (j) => [j.data.article.title, j.data.article.claims.map((c: any) => `${c.source.name}: ${c.text} @${c.quote.start}`)],
      },
      raw: { body: () => "", texts: (j) => [j.data[0].title, j.data.filter((r: any) => r.text).map((r: any) => `${r.source_name}: ${r.text} @${r.quote_start}`)] },
    },
  },
  "event-timeline": {
    screen: "the events timeline: 50 events from a date, each with its 20 newest ABOUT claims (README example)",
    count: (p) => p.froms.length,
    raw: { op: "timeline", params: (p, i) => ({ from: p.froms[i] }) },
    servers: {
      claimgraph: {
        body: (p, i) =>
          gql(
            `query($from: DateTime) { events(first: 50, filter: { from: $from }) { nodes {
              title occurredAt occurredPrecision location participants { role source { name } }
              claims(linkType: ABOUT) { nodes { text source { name } } } mentions { dateAsWritten discrepancy } } } }`,
            { from: p.froms[i] },
          ),
        texts: (j) => j.data.events.nodes.map((e: any) => [e.title, e.claims.nodes.map((c: any) => `${c.source.name}: ${c.text}`)]),
      },
      raw: {
        body: () => "",
        texts: (j) => {
          const events: [string, string[]][] = [];
          let last: string | null = null;
          for (const r of j.data) {
            if (r.event_id !== last) events.push([r.title, []]);
            last = r.event_id;
            if (r.text) events[events.length - 1][1].push(`${r.source_name}: ${r.text}`);
          }
          return events;
        },
      },
    },
  },
  "stats-global": {
    screen: "the dashboard: counts per status over all claims",
    count: () => 1,
    raw: { op: "statsGlobal", params: () => ({}) },
    servers: {
      claimgraph: { body: () => gql(`{ claimStats { total byStatus { status count } } }`, {}), texts: (j) => j.data.claimStats.byStatus.filter((s: any) => s.count > 0).map((s: any) => `${s.status}:${s.count}`).sort() },
      raw: { body: () => "", texts: (j) => j.data.map((r: any) => `${r.status}:${r.n}`).sort() },
    },
  },
  stats: {
    screen: "the dashboard for one actor",
    count: (p) => p.pairs.length,
    raw: { op: "stats", params: (p, i) => ({ sourceId: p.pairs[i].sourceId }) },
    servers: {
      claimgraph: {
        body: (p, i) => gql(`query($s: ID!) { claimStats(filter: { sourceId: $s }) { total byStatus { status count } } }`, { s: toGlobalId("Source", p.pairs[i].sourceId) }),
        texts: (j) => j.data.claimStats.byStatus.filter((s: any) => s.count > 0).map((s: any) => `${s.status}:${s.count}`).sort(),
      },
      raw: { body: () => "", texts: (j) => j.data.map((r: any) => `${r.status}:${r.n}`).sort() },
    },
  },
  "stats-by-source": {
    screen: "the dashboard grouped by source, top 10 (README example)",
    count: () => 1,
    raw: { op: "statsBySource", params: () => ({}) },
    servers: {
      claimgraph: {
        body: () => gql(`{ claimStats(groupBySource: true, sourceLimit: 10) { total byStatus { status count } bySource { source { name } total byStatus { status count } } } }`, {}),
        texts: (j) => j.data.claimStats.bySource.map((s: any) => `${s.source.name}:${s.total}`),
      },
      raw: { body: () => "", texts: (j) => j.data.map((r: any) => `${r.name}:${r.n}`) },
    },
  },
  "sources-directory": {
    screen: "the sources directory: 20 sources by name with their claim counts",
    count: (p) => p.offsets.length,
    raw: { op: "directory", params: (p, i) => ({ offset: p.offsets[i] }) },
    servers: {
      claimgraph: {
        // The frontend pages with cursors: a cursor at the offset (name, id of the row before it).
        body: (_, i) => gql(`query($after: String) { sources(first: 20, after: $after) { totalCount nodes { name kind claims(first: 1) { totalCount } } } }`, { after: directoryCursors[i % directoryCursors.length] ?? null }),
        texts: (j) => j.data.sources.nodes.map((s: any) => `${s.name}:${s.claims.totalCount}`),
      },
      postgraphile: {
        body: (p, i) => gql(`query($o: Int) { allSources(orderBy: [NAME_ASC, PRIMARY_KEY_ASC], first: 20, offset: $o) { totalCount nodes { name kind claimsBySourceId { totalCount } } } }`, { o: p.offsets[i] }),
        texts: (j) => j.data.allSources.nodes.map((s: any) => `${s.name}:${s.claimsBySourceId.totalCount}`),
      },
      raw: { body: () => "", texts: (j) => j.data.map((r: any) => `${r.name}:${r.claims}`) },
    },
  },
  "claim-history": {
    screen: "a claim with its verdict history",
    count: (p) => p.claims.length,
    raw: { op: "claim", params: (p, i) => ({ claimId: p.claims[i].id }) },
    servers: {
      claimgraph: {
        body: (p, i) => gql(`query($c: ID!) { claim(id: $c) { text status history { toStatus rationale changedBy createdAt } } }`, { c: toGlobalId("Claim", p.claims[i].id) }),
        texts: (j) => [j.data.claim.text, j.data.claim.history.length],
      },
      postgraphile: {
        body: (p, i) => gql(`query($c: UUID!) { claimByRowId(rowId: $c) { text status verdictChangesByClaimId(orderBy: [PRIMARY_KEY_DESC]) { nodes { toStatus rationale changedBy createdAt } } } }`, { c: p.claims[i].id }),
        texts: (j) => [j.data.claimByRowId.text, j.data.claimByRowId.verdictChangesByClaimId.nodes.length],
      },
      raw: { body: () => "", texts: (j) => [j.data[0].text, j.data.filter((r: any) => r.to_status).length] },
    },
  },
  // One identical request over and over: what the response cache is for.
  "core-repeated": {
    screen: "one identical core-list request repeated (response cache on)",
    count: () => 1,
    raw: { op: "core", params: (p) => ({ ...p.pairs[0] }) },
    servers: {
      "claimgraph-cached": { body: (p) => gql(CORE_PAGE, { s: toGlobalId("Source", p.pairs[0].sourceId), st: [p.pairs[0].status] }), texts: (j) => pageTexts(j.data.claims) },
      raw: { body: () => "", texts: (j) => texts(j.data) },
    },
  },
};

// The raw server's request body is its operation and parameters.
for (const op of Object.values(OPS)) {
  if (op.servers.raw && op.raw) {
    const raw = op.raw;
    op.servers.raw.body = (p, i) => JSON.stringify({ op: raw.op, params: raw.params(p, i) });
  }
}

// claimgraph's cursors into the sources directory, one per sampled offset (set by pickParams).
const directoryCursors: (string | null)[] = [];

/** The right answer of an operation, from the raw ceiling's SQL run directly. */
export async function truth(client: pg.Client, name: string, p: Params, i: number): Promise<unknown> {
  const op = OPS[name];
  const { rows } = await client.query(rawOps[op.raw!.op](JSON.parse(JSON.stringify(op.raw!.params(p, i)))));
  return op.servers.raw!.texts({ data: JSON.parse(JSON.stringify(rows)) });
}

/** Parameters sampled from the database: which actors, statuses, words, cursors and pages to ask for. */
export async function pickParams(client: pg.Client): Promise<Params> {
  const q = async <T>(sql: string, values: unknown[] = []) => (await client.query(sql, values)).rows as T[];
  const pairs = await q<Pair>(`SELECT source_id AS "sourceId", status::text AS status, count(*)::int AS count FROM claim GROUP BY 1, 2 HAVING count(*) >= 20 ORDER BY md5(source_id::text || status::text) LIMIT 500`);
  const heavy = await q<Pair>(`SELECT source_id AS "sourceId", status::text AS status, count(*)::int AS count FROM claim GROUP BY 1, 2 HAVING count(*) >= 1100 ORDER BY count DESC LIMIT 50`);
  const deep = [];
  for (const pair of heavy) {
    // The cursor of the 1000th claim: the deep page starts right after it.
    const [row] = await q<{ said_at: Date; id: string }>(`SELECT said_at, id FROM claim WHERE source_id = $1 AND status = $2::"VerificationStatus" ORDER BY said_at DESC, id DESC OFFSET 999 LIMIT 1`, [pair.sourceId, pair.status]);
    deep.push({ ...pair, saidAt: row.said_at, id: row.id });
  }
  const claims = await q<{ id: string; history: number }>(`SELECT c.id, count(v.id)::int AS history FROM claim c JOIN verdict_change v ON v.claim_id = c.id GROUP BY c.id ORDER BY md5(c.id::text) LIMIT 500`);
  const statuses = (await q<{ s: string }>(`SELECT DISTINCT status::text AS s FROM claim ORDER BY 1`)).map((r) => r.s);
  const actors = await q<{ name: string; alias: string }>(
    `SELECT s.name, a.alias FROM source s JOIN source_alias a ON a.source_id = s.id AND a.normalized <> lower(s.name)
     WHERE EXISTS (SELECT 1 FROM claim c WHERE c.source_id = s.id) ORDER BY md5(s.id::text) LIMIT 200`,
  );
  // The first md5 word of a claim's text (in at most six claims).
  const rare = (await q<{ w: string }>(`SELECT split_part(split_part(text, ': ', 2), ' ', 1) AS w FROM claim ORDER BY md5(id::text) LIMIT 200`)).map((r) => r.w);
  const orderCursors = {} as Record<Order, DeepCursor[]>;
  const orderSql: Record<Order, { by: string; key: string }> = {
    NEWEST: { by: "c.said_at DESC, c.id DESC", key: "" },
    OLDEST: { by: "c.said_at ASC, c.id ASC", key: "" },
    STATUS: { by: "c.status ASC, c.said_at DESC, c.id DESC", key: "c.status::text" },
    ACTOR: { by: "s.name ASC, c.said_at DESC, c.id DESC", key: "s.name" },
  };
  for (const order of ORDER_NAMES) {
    const { by, key } = orderSql[order];
    orderCursors[order] = [];
    for (const position of [1000, 2000, 3000, 4000, 5000]) {
      const [row] = await q<{ k: string | null; said_at: Date; id: string }>(
        `SELECT ${key || "NULL"} AS k, c.said_at, c.id FROM claim c JOIN source s ON s.id = c.source_id WHERE c.retired_at IS NULL ORDER BY ${by} OFFSET ${position - 1} LIMIT 1`,
      );
      orderCursors[order].push({ values: key ? [row.k!, row.said_at, row.id] : [row.said_at, row.id], position });
    }
  }
  const articles = (await q<{ slug: string }>(`SELECT a.slug FROM article a WHERE EXISTS (SELECT 1 FROM claim c WHERE c.article_id = a.id) ORDER BY md5(a.slug) LIMIT 200`)).map((r) => r.slug);
  const froms = (await q<{ at: Date }>(`SELECT occurred_at AS at FROM event ORDER BY md5(id::text) LIMIT 50`)).map((r) => r.at.toISOString());
  const sources = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM source`))[0].n;
  const offsets = Array.from({ length: 20 }, (_, k) => Math.floor((k * Math.max(0, sources - 20)) / 19));
  directoryCursors.length = 0;
  for (const offset of offsets) {
    const [row] = offset ? await q<{ name: string; id: string }>(`SELECT name, id FROM source ORDER BY name, id OFFSET $1 LIMIT 1`, [offset - 1]) : [];
    directoryCursors.push(row ? encodeCursor([row.name, row.id]) : null);
  }
  return { pairs, deep, claims, statuses, actors, rare, orderCursors, articles, froms, offsets };
}

/** PostGraphile's cursors are its own: ask it for the cursor at each deep position. */
export async function pgCursors(p: Params, post: (body: string) => Promise<any>) {
  for (const d of p.deep) {
    const j = await post(gql(`query($s: UUID!, $st: VerificationStatus!) { allClaims(condition: { sourceId: $s, status: $st }, orderBy: [SAID_AT_DESC, PRIMARY_KEY_DESC], first: 1000) { pageInfo { endCursor } } }`, { s: d.sourceId, st: d.status }));
    d.pgCursor = j.data.allClaims.pageInfo.endCursor;
  }
  for (const order of ["NEWEST", "OLDEST"] as const) {
    for (const c of p.orderCursors[order]) {
      const j = await post(gql(`query { allClaims(orderBy: ${PGL_ORDER[order]}, first: ${c.position}) { pageInfo { endCursor } } }`, {}));
      c.pgCursor = j.data.allClaims.pageInfo.endCursor;
    }
  }
}
