import pg from "pg";
import type { Logger } from "../logger";
import type { UTC_TIMESTAMPS } from "./utcTimestamps";

export type ReadQuery = pg.QueryConfig & { types: typeof UTC_TIMESTAMPS };

const CANCEL_ATTEMPTS = 10;
const CANCEL_RETRY_MS = 500;

/**
 * One statement; with a signal, an abort cancels it on the server. Behind a transaction pooler the
 * connection's process id is the pooler's, not a backend's, so there the role's statement_timeout
 * is what bounds it.
 */
export async function runQuery<T>(target: pg.Pool, targetUrl: string, query: ReadQuery, signal: AbortSignal | undefined, pooled: boolean, log: Logger): Promise<T[]> {
  if (!signal || pooled) return (await target.query(query)).rows as T[];
  signal.throwIfAborted();
  const client = await target.connect();
  // Aborted while waiting for a connection: the listener below would never fire.
  if (signal.aborted) {
    client.release();
    signal.throwIfAborted();
  }
  // Checked out, the connection has no listener of the pool's (see withSession).
  let lost: Error | undefined;
  const onError = (err: Error) => (lost = err);
  client.on("error", onError);
  let settled = false;
  let cancelling: Promise<void> | undefined;
  const pid = (client as pg.PoolClient & { processID: number }).processID;
  // A cancel that reaches the backend before the statement starts, or whose connection fails
  // under load, is lost: it is sent again until the statement ends.
  const cancel = () =>
    (cancelling = (async () => {
      for (let attempt = 0; attempt < CANCEL_ATTEMPTS && !settled; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
        if (!settled) await cancelBackend(targetUrl, pid, log);
      }
    })());
  signal.addEventListener("abort", cancel, { once: true });
  try {
    return (await client.query(query)).rows as T[];
  } finally {
    settled = true;
    signal.removeEventListener("abort", cancel);
    // Released only once the cancel is done, so it cannot hit the next borrower's statement.
    await cancelling;
    client.off("error", onError);
    client.release(lost);
  }
}

/**
 * Cancels the statement a pooled connection is running (node-postgres has no per-query cancel),
 * from a connection of its own so that a full pool cannot hold it up. The connection stays usable.
 */
async function cancelBackend(url: string, pid: number, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: "claimgraph-cancel", connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT pg_cancel_backend($1)", [pid]);
  } catch (err) {
    log.warn({ err: { message: (err as Error).message }, pid }, "could not cancel a timed-out statement");
  } finally {
    await client.end().catch(() => undefined);
  }
}

