// The ceiling: node:http + pg, one prepared SQL statement per operation, JSON shaped like the
// GraphQL answers. No GraphQL, no ORM: what the hardware and PostgreSQL can do.
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
pool.on("error", () => {});

const CLAIM_PAGE = (after) => `
  SELECT c.id, c.text, c.status, c.said_at, s.name AS source_name, a.title AS article_title
  FROM claim c JOIN source s ON s.id = c.source_id JOIN article a ON a.id = c.article_id
  WHERE c.source_id = $1 AND c.status = $2::"VerificationStatus" AND c.retired_at IS NULL
    ${after ? "AND (c.said_at, c.id) < ($3::timestamp, $4::uuid)" : ""}
  ORDER BY c.said_at DESC, c.id DESC LIMIT 20`;

const ops = {
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
    text: `SELECT status, count(*)::int AS n FROM claim WHERE source_id = $1 AND retired_at IS NULL GROUP BY status`,
    values: [p.sourceId],
  }),
  claim: (p) => ({
    name: "claim",
    text: `SELECT c.id, c.text, c.status, v.to_status, v.rationale, v.changed_by, v.created_at FROM claim c
           LEFT JOIN verdict_change v ON v.claim_id = c.id WHERE c.id = $1 ORDER BY v.created_at DESC, v.id DESC`,
    values: [p.claimId],
  }),
};

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const { op, params } = JSON.parse(Buffer.concat(chunks).toString());
        const { rows } = await pool.query(ops[op](params));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: rows }));
      } catch (err) {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: err.message }] }));
      }
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
