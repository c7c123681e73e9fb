import { setMaxListeners } from "node:events";
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Duplex } from "node:stream";
import {
  GraphQLError,
  Kind,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
} from "graphql";
import { collectFields } from "graphql/execution/collectFields";
import { CloseCode, handleProtocols, makeServer } from "graphql-ws";
import { WebSocketServer, type WebSocket } from "ws";
import type { Config } from "../config";
import type { Database } from "../db/database";
import { createLoaders } from "../app/loaders";
import { isClientError, mask } from "../app/server";
import { servedSchema } from "../app/schema";
import { createServices } from "../app/services";
import { credentialWarning, credentialsFrom } from "../auth/credentials";
import type { Context } from "../graphql/context";
import { checkOperation } from "../graphql/cost";
import { limitRules } from "../graphql/limits";
import type { Logger } from "../logger";
import { ClaimFeed, type ConnectionBudget } from "../live/feed";
import { SubscribeRate } from "../live/subscribeRate";
import { LoopPressure } from "./pressure";
import { AddressSlots } from "./connectionSlots";
import { UnsentBytes } from "./unsentBytes";
import { refusedMessage } from "./liveMessage";

export type LiveConfig = Pick<
  Config,
  | "production"
  | "BODY_LIMIT_BYTES"
  | "MAX_TOKENS"
  | "MAX_DEPTH"
  | "MAX_ALIASES"
  | "MAX_DIRECTIVES"
  | "MAX_COST"
  | "LIVE_MAX_CONNECTIONS"
  | "LIVE_MAX_CONNECTIONS_PER_ADDRESS"
  | "LIVE_MAX_SUBSCRIPTIONS"
  | "LIVE_SUBSCRIBE_RATE"
  | "SHED_LOOP_DELAY_MS"
  | "LIVE_KEEPALIVE_MS"
  | "LIVE_MAX_BUFFER_BYTES"
  | "LIVE_MAX_BUFFER_TOTAL_BYTES"
  | "LIVE_MAX_PENDING_EVENTS"
  | "LIVE_REPLAY_MAX"
  | "LIVE_RETENTION_HOURS"
  | "reviewPublisher"
>;

/**
 * Close codes (README, "Live updates"). Both are ones graphql-ws clients retry by default (like
 * 1001 and 1006), so a client reconnects and resumes from its last cursor.
 * - 1012 Service Restart: the server is shutting down (a deploy); another server or this one back answers.
 * - 1013 Try Again Later: a slow consumer, whose unsent data passed LIVE_MAX_BUFFER_BYTES or whose
 *   undelivered events passed LIVE_MAX_PENDING_EVENTS; closed before it costs the server more.
 */
export const CLOSE_SHUTDOWN = 1012;
export const CLOSE_SLOW_CONSUMER = 1013;
/** A slow consumer's socket is cut this long after its close frame if it does not read it. */
const SLOW_CLOSE_GRACE_MS = 1_000;
/** Log rows pruned per statement, every PRUNE_INTERVAL_MS, on every server (bounded work each time). */
const PRUNE_ROWS = 10_000;
const PRUNE_INTERVAL_MS = 60_000;
/** Retry-After (seconds) of an upgrade refused for want of a connection slot. */
const FULL_RETRY_AFTER_S = 5;

export interface Live {
  /** Subscriptions currently waiting for claim changes in this process. */
  readonly watchers: number;
  /** Distinct (normalised) filters among them: each is matched once per change. */
  readonly filters: number;
  /** Events handed to subscriptions so far (each then executed and sent on its socket). */
  readonly eventsHandedOut: number;
  /** Slow consumers closed so far (1013). */
  readonly slowConsumersClosed: number;
  /** Bytes the open WebSockets have accepted and not yet written to the network, in all. */
  readonly bufferedBytes: number;
  /** Replay reads running and waiting now, and the most that ran at once so far (see REPLAY_READS). */
  readonly replayReads: { running: number; waiting: number; peak: number };
  /** Closes every WebSocket with 1012 (service restart); sockets that do not finish the close handshake in time are cut. */
  close(graceMs?: number): Promise<void>;
}

interface Extra extends Pick<Context, "apiKey" | "credentialProblem"> {
  socket: WebSocket;
  budget: ConnectionBudget;
  rate: SubscribeRate;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws protocol) on the HTTP server's /graphql, fed by
 * the database's claim-change notifications. Only subscriptions: queries and mutations stay on
 * HTTP, where the response cache and its invalidation live.
 */
export async function attachLive(server: http.Server, db: Database, config: LiveConfig, log: Logger): Promise<Live> {
  const services = createServices(db);
  // A replay page is small enough that every subscription of a connection replaying at once stays
  // within half the connection's budget of pending events.
  const replayPage = Math.max(1, Math.min(500, Math.floor(config.LIVE_MAX_PENDING_EVENTS / (2 * config.LIVE_MAX_SUBSCRIPTIONS))));
  const feed = new ClaimFeed(services.changes, () => createLoaders(services), log, { max: config.LIVE_REPLAY_MAX, page: replayPage });
  await feed.start(db);
  const prune = async () => {
    try {
      await feed.log.prune(config.LIVE_RETENTION_HOURS, PRUNE_ROWS);
    } catch (err) {
      log.warn({ err }, "could not prune the claim change log");
    }
  };
  // The prune in flight, awaited on close: a statement left running would outlive the database.
  let pruned = prune();
  const pruning = setInterval(() => (pruned = pruned.then(prune)), PRUNE_INTERVAL_MS).unref();
  const schema = servedSchema();
  const rules = [...specifiedRules, ...limitRules(config)];
  // As over HTTP: while the loop lags, a subscribe message is refused before it is parsed.
  const pressure = config.SHED_LOOP_DELAY_MS > 0 ? new LoopPressure(config.SHED_LOOP_DELAY_MS) : null;

  const graphqlWs = makeServer<Record<string, unknown> | undefined, Extra>({
    onConnect: async ({ connectionParams, extra }) => {
      // The same value as the HTTP Authorization header, as a connection parameter (browsers cannot
      // set WebSocket headers), under the same contract: a credential that does not authenticate
      // leaves the connection anonymous, with the warning in the acknowledgement.
      const authorization = connectionParams?.Authorization ?? connectionParams?.authorization;
      const credentials = await credentialsFrom(authorization == null || authorization === "" ? undefined : String(authorization), services);
      extra.apiKey = credentials.apiKey;
      extra.credentialProblem = credentials.credentialProblem;
      return credentials.credentialProblem ? { warnings: [credentialWarning(credentials.credentialProblem)] } : true;
    },
    onSubscribe: async ({ subscriptions, extra }, _id, payload) => {
      if (pressure?.underPressure) return [clientError("the server is overloaded; retry after 1 s", "OVERLOADED")];
      // The new subscription is already counted.
      if (Object.keys(subscriptions).length > config.LIVE_MAX_SUBSCRIPTIONS) {
        return [clientError(`at most ${config.LIVE_MAX_SUBSCRIPTIONS} subscriptions per connection`, "TOO_MANY_SUBSCRIPTIONS")];
      }
      let document: DocumentNode;
      try {
        document = parse(payload.query, { maxTokens: config.MAX_TOKENS });
      } catch (err) {
        return [clientError((err as Error).message, "GRAPHQL_PARSE_FAILED")];
      }
      const errors = validate(schema, document, rules);
      if (errors.length) return errors.map((e) => clientError(e.message, "GRAPHQL_VALIDATION_FAILED"));
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [clientError("no operation to run (name it with operationName)", "BAD_REQUEST")];
      if (operation.operation !== "subscription") {
        return [clientError("only subscriptions are served over WebSocket; send queries and mutations over HTTP", "BAD_REQUEST")];
      }
      // Variables that do not coerce are the client's mistake, as over HTTP (400 BAD_USER_INPUT);
      // left to graphql-js they would come back without a code, as an unexpected error.
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
      if (coerced.errors) return coerced.errors.map((e) => clientError(e.message, "BAD_USER_INPUT"));
      // Validation counts top-level fields before @skip/@include; graphql-js then fails (an unexpected
      // error, closing the socket with 4500) when the directives leave none to subscribe to.
      const fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
      if (collectFields(schema, fragments, coerced.coerced, schema.getSubscriptionType()!, operation.selectionSet).size !== 1) {
        return [clientError("a subscription must select exactly one top-level field once @skip and @include are applied", "GRAPHQL_VALIDATION_FAILED")];
      }
      try {
        checkOperation(schema, document, operation, payload.variables ?? undefined, config.MAX_COST);
      } catch (err) {
        if (err instanceof GraphQLError) return [err];
        throw err;
      }
      // Counted once the operation is valid: what follows reads the database and watches the feed
      // (a parse or validation error costs the event loop what an HTTP one does, bounded by MAX_TOKENS).
      if (!extra.rate.take()) {
        return [clientError(`at most ${config.LIVE_SUBSCRIBE_RATE} new subscriptions a second per connection after the first ${config.LIVE_MAX_SUBSCRIPTIONS}; retry in ${extra.rate.waitMs} ms`, "RATE_LIMITED")];
      }
      const requestId = randomUUID();
      const contextValue: Context = {
        services,
        loaders: createLoaders(services),
        apiKey: extra.apiKey,
        credentialProblem: extra.credentialProblem,
        requestId,
        log: log.child({ requestId }),
        writes: { happened: false },
        listedPerEvent: config.MAX_COST,
        reviewPublisher: config.reviewPublisher,
        feed,
        live: { budget: extra.budget },
      };
      contextValue.log.debug({ operationName: payload.operationName }, "subscription started");
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
    },
    onNext: (_ctx, _id, payload, args, result) => {
      const { requestId, log: requestLog, live } = args.contextValue as Context;
      // The position of this event, to resume after it (see feed.ts).
      const cursor = live?.cursor;
      const extensions = cursor ? { ...result.extensions, cursor } : result.extensions;
      if (!result.errors) return cursor ? { ...result, extensions } : undefined;
      for (const error of result.errors) {
        if (!isClientError(error.originalError ?? error)) requestLog.error({ err: error.originalError ?? error, operationName: payload.operationName }, "unexpected error");
      }
      return { ...result, ...(extensions ? { extensions } : {}), errors: result.errors.map((e) => mask(e.toJSON(), requestId, 200, config.production)) };
    },
    onError: (_ctx, _id, payload, errors) =>
      errors.map((e) => {
        if (!isClientError(e.originalError ?? e)) log.error({ err: e.originalError ?? e, operationName: payload.operationName }, "unexpected subscription error");
        return mask(e.toJSON(), "subscribe", 400, config.production);
      }),
  });

  let slowConsumersClosed = 0;
  const unsent = new UnsentBytes<WebSocket>(config.LIVE_MAX_BUFFER_TOTAL_BYTES);
  /** Cut at once (no close frame: it would queue behind what the client does not read), freeing its buffer. */
  const cutForRoom = (socket: WebSocket) => {
    slowConsumersClosed++;
    log.warn({ bufferedBytes: socket.bufferedAmount, unsentBytes: unsent.bytes }, "cutting the WebSocket holding the most unsent data: the process's unsent data is at LIVE_MAX_BUFFER_TOTAL_BYTES");
    socket.terminate();
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.BODY_LIMIT_BYTES, handleProtocols });
  wss.on("connection", (socket: WebSocket, request: http.IncomingMessage) => {
    let slow = false;
    /** A consumer that does not keep up is closed, once, before its backlog costs more. */
    const dropSlow = (why: string) => {
      if (slow) return;
      slow = true;
      slowConsumersClosed++;
      log.warn({ why, bufferedBytes: socket.bufferedAmount, url: request.url }, "closing a slow WebSocket consumer");
      socket.close(CLOSE_SLOW_CONSUMER, "slow consumer: reconnect and resume from your last cursor");
      // A client that does not read will not read the close frame either.
      setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
    };
    const ended = new AbortController();
    // Each of the connection's subscriptions waiting for a replay read listens for its end.
    setMaxListeners(config.LIVE_MAX_SUBSCRIPTIONS + 1, ended.signal);
    const budget: ConnectionBudget = { pending: 0, limit: config.LIVE_MAX_PENDING_EVENTS, overflow: () => dropSlow("pending events"), closed: ended.signal };
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN || slow) return resolve();
            // bufferedAmount: what the socket has accepted and not yet written to the network.
            const bytes = Buffer.byteLength(data);
            if (socket.bufferedAmount + bytes > config.LIVE_MAX_BUFFER_BYTES) {
              dropSlow("buffered bytes");
              return resolve();
            }
            if (!unsent.take(socket, bytes, cutForRoom)) return resolve();
            socket.send(data, (err) => {
              unsent.give(socket, bytes);
              if (!err) return resolve();
              // A write to a socket the server is closing (a slow consumer cut after its grace, a
              // shutdown) fails as expected: its subscriptions end with the close, not as an error.
              if (slow || socket.readyState !== socket.OPEN) {
                log.debug({ err: { message: err.message }, url: request.url }, "write to a closing WebSocket dropped");
                return resolve();
              }
              reject(err);
            });
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", (data) => {
            const text = String(data);
            const refused = refusedMessage(text);
            if (refused) return socket.close(CloseCode.BadRequest, `Invalid message received: ${refused}`);
            handle(text).catch((err: unknown) => {
              log.error({ err, url: request.url }, "WebSocket message failed");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            });
          }),
      },
      { socket, apiKey: null, budget, rate: new SubscribeRate(config.LIVE_MAX_SUBSCRIPTIONS, config.LIVE_SUBSCRIBE_RATE) },
    );
    socket.on("error", (err) => log.warn({ err: { message: err.message } }, "WebSocket error"));
    socket.once("close", (code, reason) => {
      unsent.forget(socket);
      ended.abort();
      void closed(code, String(reason));
    });
  });

  // Heartbeat: a WebSocket ping to every client each interval; one that has not answered the
  // previous ping (a vanished laptop, a dead NAT mapping) is cut, freeing its subscriptions.
  const unanswered = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.once("pong", () => unanswered.delete(socket));
      socket.ping();
    }
  }, config.LIVE_KEEPALIVE_MS).unref();

  /** Open WebSocket connections (and upgrades in progress) per client network. */
  const slots = new AddressSlots(config.LIVE_MAX_CONNECTIONS_PER_ADDRESS);
  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/graphql") return refuse(socket, 404, "Not Found");
    if (wss.clients.size >= config.LIVE_MAX_CONNECTIONS) return refuse(socket, 503, "Service Unavailable", FULL_RETRY_AFTER_S);
    // One address cannot take every slot. Counted from the upgrade until the TCP socket closes, so an
    // upgrade in progress counts too.
    if (!slots.take(request.socket)) return refuse(socket, 503, "Service Unavailable", FULL_RETRY_AFTER_S);
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });

  return {
    get watchers() {
      return feed.watchers;
    },
    get filters() {
      return feed.filters;
    },
    get eventsHandedOut() {
      return feed.handedOut.events;
    },
    get slowConsumersClosed() {
      return slowConsumersClosed;
    },
    get bufferedBytes() {
      let bytes = 0;
      for (const socket of wss.clients) bytes += socket.bufferedAmount;
      return bytes;
    },
    get replayReads() {
      return { ...feed.replayGate.load, peak: feed.replayGate.peak };
    },
    close: async (graceMs = 2_000) => {
      pressure?.stop();
      clearInterval(heartbeat);
      clearInterval(pruning);
      await pruned;
      const clients = [...wss.clients];
      const allClosed = Promise.all(clients.map((c) => new Promise((resolve) => c.once("close", resolve))));
      for (const client of clients) client.close(CLOSE_SHUTDOWN, "server restarting: reconnect and resume from your last cursor");
      const cut = setTimeout(() => clients.forEach((c) => c.terminate()), graceMs);
      await allClosed;
      clearTimeout(cut);
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

function clientError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function refuse(socket: Duplex, status: number, text: string, retryAfterSeconds?: number) {
  const retryAfter = retryAfterSeconds === undefined ? "" : `Retry-After: ${retryAfterSeconds}\r\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${retryAfter}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}
