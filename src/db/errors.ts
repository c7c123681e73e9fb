/**
 * Database failures a client can do nothing about but retry, told apart from bugs. Each becomes a
 * 503 with Retry-After and a stable code at the HTTP layer, never INTERNAL_SERVER_ERROR.
 */
export type DatabaseTrouble = "OVERLOADED" | "DATABASE_UNAVAILABLE";

/** Seconds a client is told to wait after each kind of trouble. */
export const RETRY_AFTER_SECONDS: Record<DatabaseTrouble, number> = { OVERLOADED: 1, DATABASE_UNAVAILABLE: 2 };

/** Every connection of the pool is busy and the queue is longer than the connect timeout would serve. */
export class PoolBusyError extends Error {
  readonly code = "DB_POOL_BUSY";
  constructor() {
    super("every database connection is busy and the queue for one is full");
  }
}

// What pg-pool, node-postgres and Prisma say when no connection could be had in time. A new connection that took longer
// than DB_CONNECT_TIMEOUT_MS to open ("Connection terminated due to connection timeout") is the same wait, not an
// unreachable server (that one refuses at once): on a loaded machine a 100 ms budget answered DATABASE_UNAVAILABLE.
const CONNECT_TIMEOUT = /Connection terminated due to connection timeout/i;
const POOL_TIMEOUT = new RegExp(`every database connection is busy|timeout exceeded when trying to connect|${CONNECT_TIMEOUT.source}|Unable to start a transaction in the given time|Timed out fetching a new connection`, "i");
// What they say when the server is gone, restarting or refusing connections.
const UNREACHABLE =
  /Connection terminated|connection (is )?(closed|refused)|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Can't reach database server|Server has closed the connection|cannot connect to server|not queryable/i;
/**
 * SQLSTATEs of the same: connection exceptions (08…), the server shutting down or starting
 * (57P01–57P03), a standby refusing a write (25006: a primary that is now a standby).
 */
const UNAVAILABLE_SQLSTATE = /^(08\d\d\d|57P0[1-3]|25006)$/;
const UNAVAILABLE_PRISMA = new Set(["P1001", "P1002", "P1017"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"]);

/**
 * Whether an error (or any error it wraps: Prisma wraps driver errors in `cause` and in
 * `meta.driverAdapterError`) is the database being overloaded or unreachable; null for anything else.
 */
export function databaseTrouble(error: unknown): DatabaseTrouble | null {
  const seen = new Set<unknown>();
  const queue = [error];
  let unavailable = false;
  while (queue.length) {
    const err = queue.shift();
    if (!err || typeof err !== "object" || seen.has(err)) continue;
    seen.add(err);
    const { code, message, cause, meta, originalCode } = err as { code?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown }; originalCode?: unknown };
    if (err instanceof PoolBusyError || (typeof message === "string" && POOL_TIMEOUT.test(message))) return "OVERLOADED";
    const codes = [code, originalCode].filter((c): c is string => typeof c === "string");
    if (codes.some((c) => UNAVAILABLE_SQLSTATE.test(c) || UNAVAILABLE_PRISMA.has(c) || SOCKET_CODES.has(c))) unavailable = true;
    if (typeof message === "string" && UNREACHABLE.test(message)) unavailable = true;
    if ((cause as { kind?: unknown } | undefined)?.kind === "DatabaseNotReachable" || (cause as { kind?: unknown } | undefined)?.kind === "ConnectionClosed") unavailable = true;
    queue.push(cause, meta?.driverAdapterError);
  }
  return unavailable ? "DATABASE_UNAVAILABLE" : null;
}

/**
 * Whether the server may be down (read routing: a fresh standby answers for a primary that may be, a standby that may be
 * is left alone for a while): unreachable, or a new connection that did not open in time (a host gone silent times out
 * rather than refuses; to a client that is still OVERLOADED).
 */
export function mayBeDown(error: unknown): boolean {
  if (databaseTrouble(error) === "DATABASE_UNAVAILABLE") return true;
  for (let err = error as { message?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 8; err = err.cause as typeof err, depth++) {
    if (typeof err.message === "string" && CONNECT_TIMEOUT.test(err.message)) return true;
  }
  return false;
}
