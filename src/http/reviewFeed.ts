import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ReviewPublisher } from "../config";
import type { SqlReader } from "../db/database";
import { reviewFeedPage, type FeedPosition } from "../claim/reviewFeed";
import { YEAR_RANGE_MESSAGE, date } from "../validation/fields";
import type { CostBudget } from "../graphql/admission";
import type { ResponseCache } from "./responseCache";

/** Where the ClaimReview DataFeed is served (README "ClaimReview DataFeed"). */
export const REVIEW_FEED_PATH = "/claimreview/feed.json";

/** Elements per page: the default, and the most a reader may ask for (each costs a joined row and a verdict). */
export const FEED_PAGE_DEFAULT = 50;
export const FEED_PAGE_MAX = 100;
/** Longest query parameter value read; anything longer is refused before it is parsed. */
const MAX_PARAM_LENGTH = 200;
const PARAMS = new Set(["since", "cursor", "limit"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * What a page costs in the cost model, per element: as much as a GraphQL `claims(first:)` page that
 * selects each claim's `claimReview` (the claim, its source, article and verdict, and the review).
 */
export const FEED_ELEMENT_COST = 6;
/** The list cursors' rule (db/paging.ts): any year PostgreSQL has, so never 0000. */
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface FeedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FeedDeps {
  read: SqlReader;
  publisher: ReviewPublisher | null;
  cache: ResponseCache | null;
  /** The process's budget of cost in flight (MAX_INFLIGHT_COST), shared with GraphQL operations. */
  budget?: CostBudget;
  /** Seconds a page may be kept by HTTP caches (CACHE_DEFAULT_MAX_AGE). */
  maxAge: number;
}

class FeedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const badParam = (name: string, message: string) => new FeedError(400, "BAD_USER_INPUT", `${name}: ${message}`, { argument: name });

/** The cursor is the last element's (dateModified, claim id), opaque to readers. */
function encodeCursor(after: { updatedAt: Date; id: string }): string {
  return Buffer.from(`${after.updatedAt.toISOString()}|${after.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const updatedAt = new Date(at);
  if (rest.length || !ISO_INSTANT.test(at ?? "") || Number.isNaN(updatedAt.getTime()) || !UUID.test(id ?? "")) {
    throw badParam("cursor", "not a cursor of this feed; pass the one from a `next` link");
  }
  return { updatedAt, id };
}

/** Reads `since`, `cursor` and `limit`, each checked and capped; anything else is refused. */
export function feedPosition(search: URLSearchParams): FeedPosition {
  const seen = new Set<string>();
  for (const [name, value] of search) {
    if (!PARAMS.has(name)) throw badParam(name, `unknown parameter; the feed takes ${[...PARAMS].join(", ")}`);
    if (seen.has(name)) throw badParam(name, "given more than once");
    if (value.length > MAX_PARAM_LENGTH) throw badParam(name, `at most ${MAX_PARAM_LENGTH} characters`);
    seen.add(name);
  }
  const sinceText = search.get("since");
  let since: Date | null = null;
  if (sinceText !== null) {
    const parsed = date.safeParse(sinceText);
    if (!parsed.success) {
      const outOfRange = parsed.error.issues.some((issue) => issue.message === YEAR_RANGE_MESSAGE);
      throw badParam("since", outOfRange ? YEAR_RANGE_MESSAGE : "must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with Z or an offset");
    }
    since = parsed.data;
  }
  const limitText = search.get("limit");
  let limit = FEED_PAGE_DEFAULT;
  if (limitText !== null) {
    if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > FEED_PAGE_MAX) {
      throw badParam("limit", `must be a whole number from 1 to ${FEED_PAGE_MAX}`);
    }
    limit = Number(limitText);
  }
  const cursor = search.get("cursor");
  return { since, after: cursor === null ? null : decodeCursor(cursor), limit };
}

function errorResponse(error: FeedError, requestId: string): FeedResponse {
  return {
    status: error.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...(error.status === 405 ? { allow: "GET, HEAD" } : {}),
      ...(error.status === 503 ? { "retry-after": "1" } : {}),
    },
    body: JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...error.extensions, requestId } }] }),
  };
}

/**
 * GET /claimreview/feed.json: a page of the ClaimReview DataFeed. Pages are cacheable: an ETag (a
 * conditional request gets 304), `Cache-Control: public` for CACHE_DEFAULT_MAX_AGE, and the server's
 * response cache, which every write drops (as it does GraphQL answers), so a new verdict shows at once.
 */
export async function serveReviewFeed(req: IncomingMessage, deps: FeedDeps, requestId: string, signal: AbortSignal): Promise<FeedResponse> {
  let response: FeedResponse;
  try {
    if (req.method !== "GET" && req.method !== "HEAD") throw new FeedError(405, "METHOD_NOT_ALLOWED", "the feed is read with GET");
    if (!deps.publisher) {
      throw new FeedError(404, "CLAIMREVIEW_NOT_CONFIGURED", "no ClaimReview feed: this server publishes no verdicts (set CLAIMREVIEW_AUTHOR_NAME and CLAIMREVIEW_URL_TEMPLATE)");
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const position = feedPosition(url.searchParams);
    const key = `feed\n${url.search}`;
    const cached = deps.cache?.get(key);
    if (cached) {
      response = { status: cached.status, headers: { ...Object.fromEntries(cached.headers), "x-cache": "HIT" }, body: cached.body };
    } else {
      const generation = deps.cache?.generation ?? 0;
      const cost = 1 + position.limit * FEED_ELEMENT_COST;
      if (deps.budget && !deps.budget.tryAcquire(cost)) {
        throw new FeedError(503, "OVERLOADED", "the server is at capacity (query cost in flight); retry after 1 s");
      }
      let page;
      try {
        page = await reviewFeedPage(deps.read, deps.publisher, position, signal);
      } finally {
        deps.budget?.release(cost);
      }
      const { feed, next } = page;
      const headers: Record<string, string> = {
        "content-type": "application/ld+json; charset=utf-8",
        "cache-control": deps.maxAge > 0 ? `public, max-age=${deps.maxAge}` : "no-cache",
      };
      if (next) {
        const query = new URLSearchParams(url.searchParams);
        query.set("cursor", encodeCursor(next));
        const link = `${REVIEW_FEED_PATH}?${query}`;
        feed.next = link;
        headers.link = `<${link}>; rel="next"`;
      }
      const body = JSON.stringify(feed);
      headers.etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
      response = { status: 200, headers, body };
      deps.cache?.offer(key, { status: 200, headers: Object.entries(headers), body }, generation);
    }
  } catch (err) {
    if (err instanceof FeedError) return errorResponse(err, requestId);
    throw err;
  }
  // Split on commas, then trimmed: /\s*,\s*/ was quadratic on a long run of spaces without a comma
  // (16,000 spaces: 0.3–0.6 s of the event loop per anonymous request).
  const etags = req.headers["if-none-match"]?.split(",").map((tag) => tag.trim()) ?? [];
  if (response.headers.etag && etags.includes(response.headers.etag)) return { status: 304, headers: { etag: response.headers.etag, "cache-control": response.headers["cache-control"] }, body: "" };
  return req.method === "HEAD" ? { ...response, body: "" } : response;
}
