import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import { GraphQLError } from "graphql";
import { foldClaimCounts } from "../claim/counts";
import type { Config } from "../config";
import type { Database } from "../db/database";
import { RequestOutOfTime, configureCpuPool } from "../cpu/pool";
import { RETRY_AFTER_SECONDS, databaseTrouble } from "../db/errors";
import { checkReadiness } from "../db/health";
import { sheddableRequest } from "../db/pool";
import { requestWrites } from "../db/readRouting";
import { WRITES_CHANNEL } from "../db/writes";
import { createLoaders } from "../app/loaders";
import { buildServer } from "../app/server";
import { createServices, type Services } from "../app/services";
import { carriesWriterKey, credentialsFrom } from "../auth/credentials";
import { CostBudget } from "../graphql/admission";
import type { Context } from "../graphql/context";
import { troubleError } from "../graphql/databaseErrors";
import type { Logger } from "../logger";
import { limitConnections } from "./connectionSlots";
import { applyCors } from "./cors";
import { Explorer } from "./explorer";
import { LoopPressure } from "./pressure";
import { responseCacheKey } from "./cacheKey";
import { ResponseCache } from "./responseCache";
import { REVIEW_FEED_PATH, serveReviewFeed } from "./reviewFeed";
import { Pipeline, SendLimits } from "./sending";

export interface AppDeps {
  apollo: ApolloServer<Context>;
  db: Database;
  /** Shared whole-response cache for anonymous reads; null when disabled. */
  cache: ResponseCache | null;
  /** Event-loop lag watch; null when shedding on lag is off. */
  pressure: LoopPressure | null;
  services: Services;
  /** Query cost in flight, shared with Apollo's admission; absent: feed pages are not admitted by cost. */
  budget?: CostBudget;
  /** The offline explorer served to browsers at /graphql; null when SANDBOX is off. */
  explorer?: Explorer | null;
  config: Pick<Config, "BODY_LIMIT_BYTES" | "MAX_TOKENS" | "REQUEST_TIMEOUT_MS" | "HEADERS_TIMEOUT_MS" | "KEEP_ALIVE_TIMEOUT_MS" | "SEND_TIMEOUT_MS" | "HTTP_MAX_UNSENT_BYTES" | "HTTP_MAX_CONNECTIONS" | "HTTP_MAX_CONNECTIONS_PER_ADDRESS" | "DB_CONNECT_TIMEOUT_MS" | "corsOrigins" | "reviewPublisher" | "CACHE_DEFAULT_MAX_AGE" | "MAX_COST">;
  log: Logger;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The client went away while sending its body (a reset socket carries ECONNRESET, which would pass
 * for the database's trouble): nobody is left to answer, and it is the client's doing, not ours.
 */
class ClientClosedError extends Error {}

const MAX_CONTENT_TYPE_LENGTH = 256;

const COUNT_FOLD_INTERVAL_MS = 2_000;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: HttpError, requestId: string) {
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code, requestId } }] }, error.headers);
}

/**
 * Reads the body up to a byte limit; an oversize body is refused as soon as it is seen (and the
 * request destroyed, as leaving a `for await` loop did). By its events: the stream's async iterator
 * took 1.5% of a cheap request's busy CPU, this 0.4% (bench/README.md).
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new HttpError(413, "PAYLOAD_TOO_LARGE", `request body exceeds ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      // Stop reading and answer 413, closing the connection after it (destroying the request here
      // dropped the answer with the socket): Node then discards at most what is in flight.
      req.pause();
      reject(new HttpError(413, "PAYLOAD_TOO_LARGE", `request body exceeds ${limit} bytes`, { connection: "close" }));
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (err: Error) => {
      done();
      reject(new ClientClosedError(`the request body could not be read: ${err.message}`));
    };
    // The client went away before the end: nothing more will come.
    const onClose = () => {
      done();
      reject(new ClientClosedError("the client closed the connection before sending the whole request"));
    };
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (!contentType?.toLowerCase().includes("json")) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, "BAD_REQUEST", "request body is not valid JSON");
  }
}

export function createHttpServer(deps: AppDeps): http.Server {
  const { apollo, db, cache, pressure, services, explorer, budget, config, log } = deps;

  async function context(req: IncomingMessage, requestId: string, signal: AbortSignal, holder: { ctx?: Context }, writes: Context["writes"]): Promise<Context> {
    const requestLog = log.child({ requestId });
    let credentials;
    try {
      credentials = await credentialsFrom(req.headers.authorization, services);
    } catch (err) {
      // The key look-up met a full pool or a restarting database: 503 with Retry-After, not a bug.
      const trouble = databaseTrouble(err);
      if (trouble) throw troubleError(trouble);
      // Apollo's plugins (and their masking) do not see errors raised before the context exists.
      requestLog.error({ err }, "could not build the request context");
      throw new GraphQLError(`Internal server error. Quote request id ${requestId} when reporting it.`, {
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId, http: { status: 500 } },
      });
    }
    // Services per request, reading through the request's signal so a timeout cancels their statements.
    const own = createServices({ prisma: db.prisma, read: (sql, s) => db.read(sql, s ?? signal) });
    holder.ctx = {
      services: own,
      loaders: createLoaders(own),
      ...credentials,
      requestId,
      log: requestLog,
      signal,
      writes,
      listed: { count: 0, max: config.MAX_COST },
      reviewPublisher: config.reviewPublisher,
    };
    return holder.ctx;
  }

  /** Sheds a request that may be shed before it runs, when the pool would refuse its first read anyway. */
  function refuseWhenSaturated() {
    if (db.saturated()) throw new HttpError(503, "OVERLOADED", `the server is at capacity (every database connection is busy); retry after ${RETRY_AFTER_SECONDS.OVERLOADED} s`, { "retry-after": String(RETRY_AFTER_SECONDS.OVERLOADED) });
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, requestId: string, signal: AbortSignal) {
    if (applyCors(req, res, config.corsOrigins)) return;
    if (pressure?.underPressure) throw new HttpError(503, "OVERLOADED", "the server is overloaded; retry after 1 s", { "retry-after": "1" });
    const url = new URL(req.url ?? "/", "http://localhost");
    // Apollo parses Content-Type with a MIME parser that is quadratic on whitespace before a
    // parameter (15,000 spaces: 0.33 s of the event loop, twice per request); no real one is long.
    const contentType = req.headers["content-type"];
    if (contentType !== undefined && contentType.length > MAX_CONTENT_TYPE_LENGTH) {
      throw new HttpError(400, "BAD_REQUEST", `the Content-Type header is longer than ${MAX_CONTENT_TYPE_LENGTH} characters`);
    }
    const raw = await readBody(req, config.BODY_LIMIT_BYTES);
    const body = parseBody(raw, req.headers["content-type"]);
    const key = cache ? responseCacheKey(req, url.searchParams, body, config.MAX_TOKENS) : null;
    const hit = key ? cache!.get(key) : undefined;
    if (hit) {
      res.writeHead(hit.status, [...hit.headers, ["x-cache", "HIT"]].flat()).end(hit.body);
      return;
    }
    // Every database connection busy and more waiting than the connect timeout would serve: shed an
    // anonymous request now (answers from the cache above need no connection) rather than fail
    // later on the way; a request with an editor's or admin's key waits for a connection (src/db/pool.ts).
    const sheddable = !carriesWriterKey(req.headers.authorization, services);
    if (sheddable) refuseWhenSaturated();
    const generation = cache?.generation ?? 0;
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const holder: { ctx?: Context } = {};
    // Shared with the read routing: once this request turns out to write, its reads use the primary.
    const writes = { happened: false };
    const result = await sheddableRequest.run(sheddable, () =>
      requestWrites.run(writes, () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search: url.search, body },
          context: () => context(req, requestId, signal, holder, writes),
        }),
      ),
    );
    if (holder.ctx?.writes.happened) {
      // The table triggers already notified at commit; this adds the commit position (read-your-writes).
      await db.announceWrite().catch((err) => log.warn({ err, requestId }, "could not announce a write"));
      // Then drop this server's cache before answering (an answer read before the position was known
      // is not stored), so the writer's next read sees its change; other servers hear the NOTIFY.
      cache?.invalidate();
    }
    if (res.headersSent) return; // the request timed out meanwhile
    for (const [name, value] of result.headers) res.setHeader(name, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === "complete") {
      if (key) cache!.offer(key, { status: res.statusCode, headers: [...result.headers], body: result.body.string }, generation);
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse, requestId: string, signal: AbortSignal) {
    const path = (req.url ?? "/").split("?")[0];
    if (explorer && path === "/graphql" && explorer.wantsPage(req, new URL(req.url ?? "/", "http://localhost"))) return explorer.page(res);
    if (path === "/graphql") return graphql(req, res, requestId, signal);
    if (explorer && (await explorer.asset(req, res, path))) return;
    if (path === "/health") return sendJson(res, 200, { status: "ok" });
    if (path === REVIEW_FEED_PATH) {
      if (pressure?.underPressure) throw new HttpError(503, "OVERLOADED", "the server is overloaded; retry after 1 s", { "retry-after": "1" });
      const feedDeps = { read: db.read, publisher: config.reviewPublisher, cache, budget, maxAge: config.CACHE_DEFAULT_MAX_AGE };
      // Anyone can ask for it: its reads are shed under a full pool like anonymous GraphQL reads.
      refuseWhenSaturated();
      const feed = await sheddableRequest.run(true, () => serveReviewFeed(req, feedDeps, requestId, signal));
      if (!res.headersSent) res.writeHead(feed.status, feed.headers).end(feed.body);
      return;
    }
    if (path === "/ready") {
      const readiness = await checkReadiness(db, config.DB_CONNECT_TIMEOUT_MS);
      const replica = readiness.replica ? { replica: readiness.replica } : {};
      if (readiness.ready) return sendJson(res, 200, { status: "ready", ...replica });
      // The driver's message names hosts and databases: it goes to the log, the answer gets a stable code.
      log.warn({ requestId, reason: readiness.reason, detail: readiness.detail }, "not ready");
      return sendJson(res, 503, { status: "unavailable", reason: readiness.reason, requestId, ...replica });
    }
    throw new HttpError(404, "NOT_FOUND", `no route ${path}; GraphQL is served at /graphql`);
  }

  /** Answers a request (its turn on the connection come). */
  function serve(req: IncomingMessage, res: ServerResponse) {
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    const controller = new AbortController();
    // Every resolver waiting on CPU work listens to it (30 aliases: 30 listeners), not a leak.
    setMaxListeners(1_000, controller.signal);
    // Decided after the poll phase (setImmediate): when the event loop was blocked past the
    // deadline, timers run before the socket's pending reads, and a body that arrived in time would
    // look incomplete — the server's delay answered as the client's 408.
    const timer = setTimeout(() => setImmediate(() => {
      if (res.headersSent || res.writableEnded) return;
      controller.abort(new RequestOutOfTime(config.REQUEST_TIMEOUT_MS));
      if (!req.complete) {
        // The client has not finished sending: its mistake (408), and the connection, still busy
        // with the rest of the body, is closed after the answer.
        log.warn({ requestId, url: req.url }, "request body incomplete at the timeout: 408, closing the connection");
        res.setHeader("connection", "close");
        sendError(res, new HttpError(408, "REQUEST_TIMEOUT", `the request was not received completely within ${config.REQUEST_TIMEOUT_MS} ms`), requestId);
        res.once("finish", () => req.socket.destroy());
        return;
      }
      // The server took too long: worth retrying, once it is less busy.
      log.warn({ requestId, url: req.url }, "request timed out: cancelling its database work");
      const error = new HttpError(503, "REQUEST_TIMEOUT", `the request took longer than ${config.REQUEST_TIMEOUT_MS} ms`, { "retry-after": "1" });
      sendError(res, error, requestId);
    }), config.REQUEST_TIMEOUT_MS);
    // A client that leaves before its answer stops the request's work too (database reads, CPU tasks),
    // and so does the answer itself: graphql-js answers as soon as an error nulls a list, while the
    // list's other items may still be waiting (claim proposals queued in the CPU pool), with nobody
    // left to serve.
    res.once("close", () => {
      controller.abort(new Error(res.writableFinished ? "the request was answered" : "the client closed the connection"));
    });
    route(req, res, requestId, controller.signal)
    .catch((err: unknown) => {
      if (err instanceof HttpError) return sendError(res, err, requestId);
      if (err instanceof ClientClosedError) return log.debug({ requestId, reason: err.message }, "client left before sending its request");
      // Outside GraphQL too (the review feed): a full pool or a restarting database is a 503, not a bug.
      const trouble = databaseTrouble(err);
      if (trouble) {
        log.warn({ err: { message: (err as Error).message }, requestId }, "database unavailable or overloaded");
        const after = String(RETRY_AFTER_SECONDS[trouble]);
        return sendError(res, new HttpError(503, trouble, troubleError(trouble).message, { "retry-after": after }), requestId);
      }
      log.error({ err, requestId }, "unhandled request error");
      sendError(res, new HttpError(500, "INTERNAL_SERVER_ERROR", `Internal server error. Quote request id ${requestId} when reporting it.`), requestId);
    })
    .finally(() => clearTimeout(timer));
  }

  const limits = new SendLimits(config.HTTP_MAX_UNSENT_BYTES, config.SEND_TIMEOUT_MS, log);
  const pipeline = new Pipeline(log);
  const server = http.createServer(
    {
      // Every body written is held in the budget of unsent bytes and timed (src/http/sending.ts).
      ServerResponse: limits.responseClass(),
      // Slow clients: the headers must arrive within HEADERS_TIMEOUT_MS (checked every half second
      // instead of Node's 30 s) and the whole request within REQUEST_TIMEOUT_MS — by the request's own
      // timer in serve() (408, connection closed). Node's check of the whole request is only a backstop at
      // twice that: it runs among the timers too, before a blocked loop has read a body already sent.
      headersTimeout: Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS),
      requestTimeout: 2 * config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 500,
      keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    },
    (req, res) => {
      // A pipelined request waits until the answer before it on its connection is sent.
      const ready = pipeline.turn(req, res);
      if (ready === true) serve(req, res);
      else void ready.then((go) => go && serve(req, res));
    },
  );
  limitConnections(server, { total: config.HTTP_MAX_CONNECTIONS, perAddress: config.HTTP_MAX_CONNECTIONS_PER_ADDRESS }, log);
  return server;
}

/** Wires a started Apollo server, the services, the response cache and its invalidation into an HTTP server. */
export async function createApp(
  config: Config,
  db: Database,
  log: Logger,
): Promise<{ server: http.Server; apollo: ApolloServer<Context>; cache: ResponseCache | null; budget: CostBudget }> {
  // One budget of cost in flight for GraphQL operations and feed pages alike.
  const budget = new CostBudget(config.maxInflightCost);
  const apollo = buildServer(config, budget);
  await apollo.start();
  configureCpuPool(config.cpuPool);
  const cache = config.RESPONSE_CACHE_MB > 0 ? new ResponseCache(config.RESPONSE_CACHE_MB * 1024 * 1024) : null;
  if (cache) await db.listen(WRITES_CHANNEL, cache.listener);
  const services = createServices(db);
  // Know the issued keys from the first request on (the shed decision reads the list without waiting).
  await services.apiKeys.loadDirectory().catch((err: unknown) => log.warn({ err }, "could not load the API key list; will load it on first use"));
  const pressure = config.SHED_LOOP_DELAY_MS > 0 ? new LoopPressure(config.SHED_LOOP_DELAY_MS) : null;
  const explorer = config.sandbox ? new Explorer(log) : null;
  const server = createHttpServer({ apollo, db, cache, pressure, services, explorer, budget, config, log });
  // Claim counters: writers append deltas (triggers); folding them keeps counting reads a few rows.
  // A maintenance session, not a request's query.
  const fold = setInterval(() => {
    db.withSession(foldClaimCounts).catch((err: unknown) => log.warn({ err }, "folding claim count deltas failed; will retry"));
  }, COUNT_FOLD_INTERVAL_MS).unref();
  server.once("close", () => {
    pressure?.stop();
    clearInterval(fold);
  });
  return { server, apollo, cache, budget };
}
