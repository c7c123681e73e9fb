// The raw ceiling's statements, one per operation: what a hand-written node:http + pg server sends.
// The benchmark also runs them itself to know each operation's right answer before any load.
// Counts the claim counters cover are read from them, as claimgraph does; the rest are counted.

const COUNTERS = `(SELECT source_id, status, retired, n FROM claim_count UNION ALL SELECT source_id, status, retired, n FROM claim_count_delta) k`;
const PAGE_COLUMNS = `c.id, c.text, c.status, c.said_at, s.name AS source_name, a.title AS article_title`;
const PAGE_JOINS = `JOIN source s ON s.id = c.source_id JOIN article a ON a.id = c.article_id`;
const actorIds = `(SELECT source_id FROM source_alias WHERE normalized = lower($1) UNION SELECT id FROM source WHERE slug = lower($1))`;

// ORDER BY and "after the cursor" for each claim order; the cursor is [key, said_at, id] or [said_at, id].
const ORDERS = {
  NEWEST: { by: `c.said_at DESC, c.id DESC`, after: `(c.said_at, c.id) < ($1::timestamp, $2::uuid)`, keys: 2 },
  OLDEST: { by: `c.said_at ASC, c.id ASC`, after: `(c.said_at, c.id) > ($1::timestamp, $2::uuid)`, keys: 2 },
  STATUS: {
    by: `c.status ASC, c.said_at DESC, c.id DESC`,
    after: `(c.status > $1::"VerificationStatus" OR (c.status = $1::"VerificationStatus" AND (c.said_at, c.id) < ($2::timestamp, $3::uuid)))`,
  },
  ACTOR: {
    by: `s.name ASC, c.said_at DESC, c.id DESC`,
    after: `(s.name > $1 OR (s.name = $1 AND (c.said_at, c.id) < ($2::timestamp, $3::uuid)))`,
  },
};

const CLAIM_PAGE = (after) => `
  SELECT ${PAGE_COLUMNS} FROM claim c ${PAGE_JOINS}
  WHERE c.source_id = $1 AND c.status = $2::"VerificationStatus" AND c.retired_at IS NULL
    ${after ? "AND (c.said_at, c.id) < ($3::timestamp, $4::uuid)" : ""}
  ORDER BY c.said_at DESC, c.id DESC LIMIT 20`;

export const ops = {
  // Two statements, as a client library would send them: one OR-ed "no cursor" form would keep
  // PostgreSQL from seeking the index to the cursor.
  core: (p) =>
    p.saidAt
      ? { name: "core-after", text: CLAIM_PAGE(true), values: [p.sourceId, p.status, p.saidAt, p.id] }
      : { name: "core", text: CLAIM_PAGE(false), values: [p.sourceId, p.status] },
  actor: (p) => ({
    name: "actor",
    text: `SELECT s.name, s.role, c.id, c.text, c.status, c.said_at FROM source s
           LEFT JOIN LATERAL (SELECT id, text, status, said_at FROM claim WHERE source_id = s.id AND retired_at IS NULL
                              ORDER BY said_at DESC, id DESC LIMIT 20) c ON true WHERE s.id = $1`,
    values: [p.sourceId],
  }),
  stats: (p) => ({
    name: "stats",
    text: `SELECT status, sum(n)::int AS n FROM ${COUNTERS} WHERE source_id = $1 AND NOT retired GROUP BY status HAVING sum(n) <> 0`,
    values: [p.sourceId],
  }),
  claim: (p) => ({
    name: "claim",
    text: `SELECT c.id, c.text, c.status, v.to_status, v.rationale, v.changed_by, v.created_at FROM claim c
           LEFT JOIN verdict_change v ON v.claim_id = c.id WHERE c.id = $1 ORDER BY v.created_at DESC, v.id DESC`,
    values: [p.claimId],
  }),
  // The review queue: one status, newest first, with the number waiting.
  queue: (p) => ({
    name: "queue",
    text: `SELECT ${PAGE_COLUMNS}, (SELECT COALESCE(sum(n), 0)::int FROM ${COUNTERS} WHERE k.status = $1::"VerificationStatus" AND NOT k.retired) AS total
           FROM claim c ${PAGE_JOINS} WHERE c.status = $1::"VerificationStatus" AND c.retired_at IS NULL
           ORDER BY c.said_at DESC, c.id DESC LIMIT 20`,
    values: [p.status],
  }),
  // Claims by an actor's name or alias, open statuses.
  byActor: (p) => ({
    name: "byActor",
    text: `SELECT ${PAGE_COLUMNS}, (SELECT COALESCE(sum(n), 0)::int FROM ${COUNTERS} WHERE k.source_id IN ${actorIds}
             AND k.status IN ('UNVERIFIED', 'IN_REVIEW') AND NOT k.retired) AS total
           FROM claim c ${PAGE_JOINS} WHERE c.source_id IN ${actorIds} AND c.status IN ('UNVERIFIED', 'IN_REVIEW') AND c.retired_at IS NULL
           ORDER BY c.said_at DESC, c.id DESC LIMIT 20`,
    values: [p.actor],
  }),
  // Full-text search, newest first; counted when asked (`count`), as claimgraph counts up to 10,000.
  search: (p) => ({
    name: `search${p.actor ? "-actor" : ""}`,
    text: `WITH m AS (SELECT c.* FROM claim c WHERE c.search_vector @@ websearch_to_tsquery('english', $1) AND c.retired_at IS NULL
             ${p.actor ? `AND c.source_id IN (SELECT source_id FROM source_alias WHERE normalized = lower($2)) AND c.status = 'UNVERIFIED'` : ""})
           SELECT ${PAGE_COLUMNS}, (SELECT count(*)::int FROM (SELECT 1 FROM m LIMIT 10001) x) AS total
           FROM m c ${PAGE_JOINS} ORDER BY c.said_at DESC, c.id DESC LIMIT 20`,
    values: p.actor ? [p.search, p.actor] : [p.search],
  }),
  // Every order, first page (no cursor) or after a cursor.
  ordered: (p) => {
    const order = ORDERS[p.order];
    return {
      name: `ordered-${p.order}-${p.after ? "after" : "first"}`,
      text: `SELECT ${PAGE_COLUMNS} FROM claim c ${PAGE_JOINS} WHERE c.retired_at IS NULL ${p.after ? `AND ${order.after}` : ""}
             ORDER BY ${order.by} LIMIT 20`,
      values: p.after ?? [],
    };
  },
  // An article's page: the article, its claims in text order (with the source), and its events.
  article: (p) => ({
    name: "article",
    text: `SELECT a.title, a.body, c.text, c.quote_start, c.quote_end, s.name AS source_name FROM article a
           LEFT JOIN claim c ON c.article_id = a.id AND c.retired_at IS NULL LEFT JOIN source s ON s.id = c.source_id
           WHERE a.slug = $1 ORDER BY c.quote_start, c.id`,
    values: [p.slug],
  }),
  // The timeline: 50 events from a date, each with its newest 20 claims linked as ABOUT.
  timeline: (p) => ({
    name: "timeline",
    text: `SELECT e.id AS event_id, e.title, x.text, x.source_name FROM (SELECT * FROM event WHERE occurred_at >= $1 ORDER BY occurred_at, id LIMIT 50) e
           LEFT JOIN LATERAL (SELECT c.text, s.name AS source_name, ce.claim_said_at, ce.claim_id FROM claim_event ce JOIN claim c ON c.id = ce.claim_id
                              JOIN source s ON s.id = c.source_id
                              WHERE ce.event_id = e.id AND ce.link_type = 'ABOUT' AND c.retired_at IS NULL
                              ORDER BY ce.claim_said_at DESC, ce.claim_id DESC LIMIT 20) x ON true
           ORDER BY e.occurred_at, e.id, x.claim_said_at DESC, x.claim_id DESC`,
    values: [p.from],
  }),
  // The dashboard: per-status totals, or the 10 sources with most claims and their statuses.
  statsGlobal: () => ({
    name: "statsGlobal",
    text: `SELECT status, sum(n)::int AS n FROM ${COUNTERS} WHERE NOT retired GROUP BY status HAVING sum(n) <> 0`,
    values: [],
  }),
  statsBySource: () => ({
    name: "statsBySource",
    text: `WITH t AS (SELECT source_id, sum(n) AS n FROM ${COUNTERS} WHERE NOT retired GROUP BY source_id HAVING sum(n) <> 0 ORDER BY 2 DESC, 1 LIMIT 10)
           SELECT s.name, t.n::int AS n FROM t JOIN source s ON s.id = t.source_id ORDER BY t.n DESC, t.source_id`,
    values: [],
  }),
  // The sources directory: a page of sources by name with their claim counts.
  directory: (p) => ({
    name: "directory",
    text: `SELECT s.name, COALESCE((SELECT sum(n)::int FROM ${COUNTERS} WHERE k.source_id = s.id AND NOT k.retired), 0) AS claims
           FROM source s ORDER BY s.name, s.id LIMIT 20 OFFSET $1`,
    values: [p.offset],
  }),
};
