// PROTOTYPE for the Fastify measurement (bench/README.md "HTTP layer"): same behaviour as app.ts.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { ApolloServer } from "@apollo/server";
import { fastifyApolloHandler } from "@as-integrations/fastify";
import cors from "@fastify/cors";
import underPressure from "@fastify/under-pressure";
import Fastify from "fastify";
import { GraphQLError } from "graphql";
import type { Config } from "../config";
import type { Database } from "../db/database";
import { checkReadiness } from "../db/health";
import { WRITES_CHANNEL, announceWrite } from "../db/writes";
import type { Context } from "../graphql/context";
import { createLoaders } from "../graphql/loaders";
import type { Logger } from "../logger";
import { buildServer } from "../server";
import { createServices } from "../services";
import { ResponseCache } from "./responseCache";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export async function createFastifyApp(config: Config, db: Database, log: Logger): Promise<{ server: http.Server; apollo: ApolloServer<Context> }> {
  const apollo = buildServer(config);
  await apollo.start();
  const cache = config.RESPONSE_CACHE_MB > 0 ? new ResponseCache(config.RESPONSE_CACHE_MB * 1024 * 1024) : null;
  if (cache) await db.listen(WRITES_CHANNEL, () => cache.invalidate());
  const services = createServices(db);
  const app = Fastify({
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    logger: false,
  });
  await app.register(cors, { origin: ["http://localhost:3000"], credentials: false });
  await app.register(underPressure, { maxEventLoopDelay: 1000 });
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    (req as unknown as { rawBody: string }).rawBody = body as string;
    try {
      done(null, body ? JSON.parse(body as string) : undefined);
    } catch {
      done(Object.assign(new Error("request body is not valid JSON"), { statusCode: 400 }), undefined);
    }
  });
  const handler = fastifyApolloHandler<Context>(apollo, {
    context: async (request) => {
      const requestId = request.id;
      const authorization = request.headers.authorization;
      let apiKey = null;
      if (authorization) {
        const [scheme, secret] = authorization.split(" ");
        apiKey = scheme?.toLowerCase() === "bearer" && secret ? await services.apiKeys.authenticate(secret) : null;
        if (!apiKey) throw new GraphQLError("the API key is invalid or revoked", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
      }
      const ctx: Context = { services, loaders: createLoaders(services), apiKey, requestId, log: log.child({ requestId }), writes: { happened: false } };
      (request as unknown as { ctx: Context }).ctx = ctx;
      return ctx;
    },
  });
  app.route({
    method: ["GET", "POST"],
    url: "/graphql",
    handler: async (request, reply) => {
      void reply.header("x-request-id", request.id);
      const raw = (request as unknown as { rawBody?: string }).rawBody ?? "";
      const key = cache?.keyFor(request.raw, raw) ?? null;
      const hit = key ? cache!.get(key) : undefined;
      if (hit) {
        for (const [n, v] of hit.headers) void reply.header(n, v);
        return reply.code(hit.status).header("x-cache", "HIT").send(hit.body);
      }
      const generation = cache?.generation ?? 0;
      const body = await handler.call(app, request as never, reply as never);
      const ctx = (request as unknown as { ctx?: Context }).ctx;
      if (ctx?.writes.happened) {
        cache?.invalidate();
        await announceWrite(db.prisma).catch((err) => log.warn({ err }, "could not announce a write"));
      }
      if (key && typeof body === "string") {
        const headers = Object.entries(reply.getHeaders()).map(([n, v]) => [n, String(v)] as [string, string]);
        cache!.offer(key, { status: reply.statusCode, headers, body }, generation);
      }
      return body;
    },
  });
  app.get("/health", async () => ({ status: "ok" }));
  app.get("/ready", async (_req, reply) => {
    const r = await checkReadiness(db, config.DB_CONNECT_TIMEOUT_MS);
    return reply.code(r.ready ? 200 : 503).send(r.ready ? { status: "ready" } : { status: "unavailable", reason: r.reason });
  });
  await app.ready();
  return { server: app.server, apollo };
}
