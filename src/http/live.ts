import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Duplex } from "node:stream";
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
} from "graphql";
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
import { checkOperation, limitRules } from "../graphql/limits";
import type { Logger } from "../logger";
import { ClaimFeed } from "../live/feed";

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
  | "LIVE_MAX_SUBSCRIPTIONS"
  | "LIVE_KEEPALIVE_MS"
  | "reviewPublisher"
>;

export interface Live {
  /** Subscriptions currently waiting for claim changes in this process. */
  readonly watchers: number;
  /** Closes every WebSocket with 1001 (going away); sockets that do not finish the close handshake in time are cut. */
  close(graceMs?: number): Promise<void>;
}

interface Extra extends Pick<Context, "apiKey" | "credentialProblem"> {
  socket: WebSocket;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws protocol) on the HTTP server's /graphql, fed by
 * the database's claim-change notifications. Only subscriptions: queries and mutations stay on
 * HTTP, where the response cache and its invalidation live.
 */
export async function attachLive(server: http.Server, db: Database, config: LiveConfig, log: Logger): Promise<Live> {
  const services = createServices(db);
  const feed = new ClaimFeed(services.claims, log);
  await feed.start(db);
  const schema = servedSchema();
  const rules = [...specifiedRules, ...limitRules(config)];

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
      try {
        checkOperation(schema, document, operation, payload.variables ?? undefined, config.MAX_COST);
      } catch (err) {
        if (err instanceof GraphQLError) return [err];
        throw err;
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
        reviewPublisher: config.reviewPublisher,
        feed,
        newLoaders: () => createLoaders(services),
      };
      contextValue.log.debug({ operationName: payload.operationName }, "subscription started");
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
    },
    onNext: (_ctx, _id, payload, args, result) => {
      if (!result.errors) return;
      const { requestId, log: requestLog } = args.contextValue as Context;
      for (const error of result.errors) {
        if (!isClientError(error.originalError ?? error)) requestLog.error({ err: error.originalError ?? error, operationName: payload.operationName }, "unexpected error");
      }
      return { ...result, errors: result.errors.map((e) => mask(e.toJSON(), requestId, 200, config.production)) };
    },
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => mask(e.toJSON(), "subscribe", 400, config.production)),
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.BODY_LIMIT_BYTES, handleProtocols });
  wss.on("connection", (socket: WebSocket, request: http.IncomingMessage) => {
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", (data) => {
            handle(String(data)).catch((err: unknown) => {
              log.error({ err, url: request.url }, "WebSocket message failed");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            });
          }),
      },
      { socket, apiKey: null },
    );
    socket.on("error", (err) => log.warn({ err: { message: err.message } }, "WebSocket error"));
    socket.once("close", (code, reason) => void closed(code, String(reason)));
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

  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/graphql") return refuse(socket, 404, "Not Found");
    if (wss.clients.size >= config.LIVE_MAX_CONNECTIONS) return refuse(socket, 503, "Service Unavailable");
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });

  return {
    get watchers() {
      return feed.watchers;
    },
    close: async (graceMs = 2_000) => {
      clearInterval(heartbeat);
      const clients = [...wss.clients];
      const allClosed = Promise.all(clients.map((c) => new Promise((resolve) => c.once("close", resolve))));
      for (const client of clients) client.close(1001, "server shutting down");
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

function refuse(socket: Duplex, status: number, text: string) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
