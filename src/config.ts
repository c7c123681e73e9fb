import path from "node:path";
import { z } from "zod";
import { DEFAULT_CPU_POOL, type CpuPoolOptions } from "./cpu/options";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const postgresUrl = (message: string) =>
  z.string().refine((url) => URL.canParse(url) && /^postgres(ql)?:$/.test(new URL(url).protocol), { message });
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** `https://app.example.org,http://localhost:5173`: exact origins (scheme, host, port; no path). */
const origins = z
  .string()
  .transform((list) => list.split(",").map((o) => o.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.string().refine((o) => URL.canParse(o) && /^https?:$/.test(new URL(o).protocol) && new URL(o).origin === o, {
        message: "each origin must be scheme://host[:port] with no path or trailing slash, e.g. https://app.example.org",
      }),
    ),
  );

const envSchema = z
  .object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: int(0, 65535).default(4000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: postgresUrl("must be a postgresql:// URL (unset it to use the embedded database)").optional(),
  DATABASE_READ_URL: postgresUrl("must be a postgresql:// URL of a hot standby (or a pooler in front of one)").optional(),
  DATABASE_DIRECT_URL: postgresUrl("must be a postgresql:// URL reaching the primary without a pooler").optional(),
  DB_POOLER: z.enum(["none", "transaction"]).default("none"),
  PGLITE_DATA_DIR: z.string().min(1).default(path.join(process.cwd(), ".data", "pglite")),
  DB_POOL_MAX: int(1, 1000).default(10),
  DB_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(10_000),
  INTROSPECTION: bool.optional(),
  SANDBOX: bool.optional(),
  REQUEST_TIMEOUT_MS: int(100, 600_000).default(15_000),
  HEADERS_TIMEOUT_MS: int(100, 600_000).default(10_000),
  KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  SEND_TIMEOUT_MS: int(100, 3_600_000).default(30_000),
  HTTP_MAX_UNSENT_BYTES: int(65_536, 17_179_869_184).default(64 * 1024 * 1024),
  // Every TCP connection of the server, WebSockets included (their upgrade came over HTTP).
  HTTP_MAX_CONNECTIONS: int(0, 1_000_000).default(4_096),
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: int(0, 1_000_000).default(256),
  CORS_ORIGINS: origins.optional(),
  MAX_INFLIGHT_COST: int(1, 100_000_000).optional(),
  // Off (0) by default: the embedded database runs on the event loop, and a shared host lags for reasons of its own.
  SHED_LOOP_DELAY_MS: int(0, 60_000).default(0),
  BODY_LIMIT_BYTES: int(1_024, 50_000_000).default(100_000),
  MAX_DEPTH: int(1, 100).default(10),
  MAX_ALIASES: int(1, 1_000).default(30),
  MAX_DIRECTIVES: int(1, 1_000).default(50),
  MAX_TOKENS: int(10, 100_000).default(2_000),
  MAX_COST: int(1, 10_000_000).default(20_000),
  SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
  RESPONSE_CACHE_MB: int(0, 10_000).default(64),
  CACHE_DEFAULT_MAX_AGE: int(0, 86_400).default(60),
  CLAIMREVIEW_AUTHOR_NAME: z.string().trim().min(1).max(200).optional(),
  CLAIMREVIEW_AUTHOR_URL: httpUrl.optional(),
  CLAIMREVIEW_URL_TEMPLATE: httpUrl
    .refine((url) => url.includes("{id}"), { message: "must contain {id}, the place of the claim's ID in the review's URL" })
    .optional(),
  BOOTSTRAP_ADMIN_KEY: z
    .string()
    .regex(/^cgk_[A-Za-z0-9_-]{43}$/, "must be a key as claimgraph makes them: cgk_ and 43 base64url characters (32 random bytes)")
    .optional(),
  LIVE_MAX_CONNECTIONS: int(0, 1_000_000).default(1_000),
  LIVE_MAX_CONNECTIONS_PER_ADDRESS: int(0, 1_000_000).default(50),
  LIVE_MAX_SUBSCRIPTIONS: int(1, 1_000).default(20),
  LIVE_SUBSCRIBE_RATE: int(1, 1_000).default(2),
  LIVE_KEEPALIVE_MS: int(1_000, 600_000).default(30_000),
  LIVE_MAX_BUFFER_BYTES: int(65_536, 1_073_741_824).default(4 * 1024 * 1024),
  LIVE_MAX_BUFFER_TOTAL_BYTES: int(65_536, 17_179_869_184).default(64 * 1024 * 1024),
  LIVE_MAX_PENDING_EVENTS: int(10, 1_000_000).default(1_000),
  LIVE_REPLAY_MAX: int(1, 1_000_000).default(10_000),
  LIVE_RETENTION_HOURS: int(1, 8_760).default(24),
  SEED_FETCH_TIMEOUT_MS: int(100, 600_000).default(15_000),
  // Worker threads for CPU-heavy work (claim extraction, re-anchoring): src/cpu/pool.ts.
  WORKER_THREADS: int(1, 256).default(DEFAULT_CPU_POOL.threads),
  WORKER_QUEUE: int(0, 10_000).default(DEFAULT_CPU_POOL.queue),
  WORKER_HEAP_MB: int(64, 16_384).default(DEFAULT_CPU_POOL.heapMb),
  WORKER_TASK_MS: int(100, 600_000).default(DEFAULT_CPU_POOL.taskMs),
})
  // A ClaimReview needs both who published it and where: one without the other is a mistake.
  .refine((c) => (c.CLAIMREVIEW_AUTHOR_NAME === undefined) === (c.CLAIMREVIEW_URL_TEMPLATE === undefined), {
    message: "set CLAIMREVIEW_AUTHOR_NAME and CLAIMREVIEW_URL_TEMPLATE together, or neither",
    path: ["CLAIMREVIEW_URL_TEMPLATE"],
  })
  .refine((c) => c.CLAIMREVIEW_AUTHOR_URL === undefined || c.CLAIMREVIEW_AUTHOR_NAME !== undefined, {
    message: "needs CLAIMREVIEW_AUTHOR_NAME",
    path: ["CLAIMREVIEW_AUTHOR_URL"],
  });

/** The fact-checking organisation that publishes ClaimReviews, and where; null exports none. */
export interface ReviewPublisher {
  name: string;
  url?: string;
  /** The review page's URL with `{id}` standing for the claim's global ID. */
  urlTemplate: string;
}

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
}

/** Parses the environment once at start; every bad variable is named in one message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // Empty strings mean "unset" (docker/compose often pass VAR= for optional settings).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  const c = parsed.data;
  const problems = [
    (c.DATABASE_READ_URL || c.DATABASE_DIRECT_URL || c.DB_POOLER !== "none") && !c.DATABASE_URL && "DATABASE_READ_URL, DATABASE_DIRECT_URL and DB_POOLER need DATABASE_URL",
    // LISTEN and session-level state do not survive transaction pooling.
    c.DB_POOLER === "transaction" && !c.DATABASE_DIRECT_URL && "DB_POOLER=transaction needs DATABASE_DIRECT_URL (the primary without the pooler, for LISTEN, migrations and imports)",
    c.LIVE_MAX_BUFFER_TOTAL_BYTES < c.LIVE_MAX_BUFFER_BYTES && "LIVE_MAX_BUFFER_TOTAL_BYTES (every WebSocket's unsent data) must be at least LIVE_MAX_BUFFER_BYTES (one WebSocket's)",
  ].filter((p): p is string => typeof p === "string");
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  const production = c.NODE_ENV === "production";
  return {
    ...c,
    production,
    introspection: c.INTROSPECTION ?? !production,
    sandbox: c.SANDBOX ?? !production,
    // Unset: in development any http://localhost / 127.0.0.1 / [::1] page may call the API; in production none.
    corsOrigins: c.CORS_ORIGINS ?? (production ? [] : "localhost") as readonly string[] | "localhost",
    // Unset: two of the heaviest operations the cost limit allows run at once (src/graphql/admission.ts).
    maxInflightCost: c.MAX_INFLIGHT_COST ?? c.MAX_COST,
    cpuPool: { threads: c.WORKER_THREADS, queue: c.WORKER_QUEUE, heapMb: c.WORKER_HEAP_MB, taskMs: c.WORKER_TASK_MS } as CpuPoolOptions,
    reviewPublisher:
      c.CLAIMREVIEW_AUTHOR_NAME && c.CLAIMREVIEW_URL_TEMPLATE
        ? ({ name: c.CLAIMREVIEW_AUTHOR_NAME, url: c.CLAIMREVIEW_AUTHOR_URL, urlTemplate: c.CLAIMREVIEW_URL_TEMPLATE } as ReviewPublisher)
        : null,
  };
}

/**
 * The same settings on the primary's direct URL: for sessions a transaction pooler would break
 * (migrations, long seed imports).
 */
export function directConfig(config: Config): Config {
  return config.DATABASE_DIRECT_URL ? { ...config, DATABASE_URL: config.DATABASE_DIRECT_URL, DATABASE_READ_URL: undefined, DB_POOLER: "none" } : config;
}
