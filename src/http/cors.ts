import type { IncomingMessage, ServerResponse } from "node:http";

/** `"localhost"`: any http(s) page on localhost, 127.0.0.1 or [::1] (the development default). */
export type CorsOrigins = readonly string[] | "localhost";

const LOCALHOST = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/;
const ALLOW_METHODS = "GET, POST, OPTIONS";
// What Apollo Client and the Sandbox send; apollo-require-preflight is Apollo's CSRF header.
const ALLOW_HEADERS = "authorization, content-type, accept, apollo-require-preflight, x-apollo-operation-name, x-request-id";
const EXPOSE_HEADERS = "x-request-id, x-cache, retry-after";
const MAX_AGE_SECONDS = "600";

export function originAllowed(origin: string, allowed: CorsOrigins): boolean {
  return allowed === "localhost" ? LOCALHOST.test(origin) : allowed.includes(origin);
}

/**
 * CORS for /graphql. Sets the headers of an allowed cross-origin request and answers preflights;
 * returns true when the request has been answered (a preflight). Apollo's CSRF prevention still
 * applies to every non-preflight request, whatever its origin.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: CorsOrigins): boolean {
  res.setHeader("vary", "Origin, Authorization");
  const origin = req.headers.origin;
  const permitted = origin !== undefined && originAllowed(origin, allowed);
  if (permitted) {
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("access-control-expose-headers", EXPOSE_HEADERS);
  }
  if (req.method !== "OPTIONS") return false;
  if (req.headers["access-control-request-method"] && permitted) {
    res.setHeader("access-control-allow-methods", ALLOW_METHODS);
    res.setHeader("access-control-allow-headers", ALLOW_HEADERS);
    res.setHeader("access-control-max-age", MAX_AGE_SECONDS);
  }
  // A refused origin gets the same 204 without any Access-Control-Allow-* header: the browser blocks it.
  res.writeHead(204, { allow: ALLOW_METHODS }).end();
  return true;
}
