// The ceiling: node:http + pg, one prepared SQL statement per operation, JSON shaped like the
// GraphQL answers. No GraphQL, no ORM: what the hardware and PostgreSQL can do.
import http from "node:http";
import pg from "pg";
import { ops } from "./rawOps.mjs";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
pool.on("error", () => {});

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
