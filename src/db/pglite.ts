import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describeError } from "../describeError";
import type { Logger } from "../logger";
import type { Database, DbConfig, DbOptions, SqlSession } from "./database";
import { createPrisma } from "./prismaClient";
import { announceWrite } from "./writes";

const MEMORY = "memory://";

/**
 * PGlite is a single-process database: a second process opening the same directory would corrupt
 * it. The owner listens on a Unix-domain socket in the directory; the kernel closes it the moment
 * the owner dies (SIGKILL included), so a restart right after a crash finds it refusing connections
 * and takes over, while a live owner answers a probe with its pid.
 */
async function lockDataDir(dataDir: string): Promise<() => void> {
  const socketPath = shortSocketPath(path.join(dataDir, LOCK_SOCKET));
  const server = net.createServer((socket) => socket.end(`${process.pid}\n`));
  server.unref();
  for (let attempt = 0; ; attempt++) {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once("error", resolve);
      server.listen(socketPath, () => {
        server.off("error", resolve);
        resolve(null);
      });
    });
    if (!error) break;
    if (error.code !== "EADDRINUSE" || attempt > 0) throw new Error(`cannot lock the embedded database in ${dataDir}: ${error.message}`);
    const owner = await probeLock(socketPath);
    if (owner !== null) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${owner || "(unknown)"}; stop it, or set DATABASE_URL to share a PostgreSQL database`);
    }
    rmSync(socketPath, { force: true }); // left by a process that died: nobody listens on it
  }
  return () => {
    server.close();
    rmSync(socketPath, { force: true });
  };
}

const LOCK_SOCKET = "claimgraph.lock.sock";
/** Unix socket paths are limited to 107 bytes: use the relative path when that is shorter. */
function shortSocketPath(socketPath: string): string {
  const relative = path.relative(process.cwd(), socketPath);
  const shortest = relative.length < socketPath.length ? `./${relative}` : socketPath;
  if (Buffer.byteLength(shortest) > 100) {
    throw new Error(`the embedded database path ${socketPath} is too long for its lock socket; use a shorter PGLITE_DATA_DIR`);
  }
  return shortest;
}

/** The pid of the live process holding the lock socket, "" if it did not say, null if nobody holds it. */
function probeLock(socketPath: string): Promise<string | null> {
  return new Promise((resolve) => {
    let answer = "";
    const socket = net.connect(socketPath);
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on("data", (d) => (answer += d));
    socket.on("close", () => resolve(answer.trim()));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      socket.removeAllListeners("close");
      resolve(err.code === "ECONNREFUSED" || err.code === "ENOENT" ? null : "");
    });
  });
}

/** Written once PGlite has opened the directory: without it, a directory is an initialisation that never finished. */
const INITIALISED_MARKER = "claimgraph.initialised";
/** What PostgreSQL's initdb puts in a data directory (anything else there is not ours to delete). */
const POSTGRES_ENTRY = /^(PG_VERSION|base|global|pg_[a-z_]+|postgresql(\.auto)?\.conf|postmaster\.(opts|pid))$/;

async function createPglite(dataDir: string, log: Logger, image?: Blob) {
  const { PGlite } = await import("@electric-sql/pglite");
  // btree_gin: the claim search index covers (source_id, search_vector) (migration 20261126071000).
  const { btree_gin } = await import("@electric-sql/pglite/contrib/btree_gin");
  const options = { extensions: { btree_gin } };
  if (dataDir === MEMORY) return PGlite.create(dataDir, { ...options, loadDataDir: image });
  const entries = readdirSync(dataDir).filter((e) => e !== LOCK_SOCKET && e !== LEGACY_LOCK_FILE);
  const initialised = entries.includes(INITIALISED_MARKER);
  const open = async () => {
    const pglite = await PGlite.create(dataDir, options);
    await pglite.query("SELECT 1");
    return pglite;
  };
  try {
    const pglite = await open();
    if (!initialised) writeFileSync(path.join(dataDir, INITIALISED_MARKER), `${new Date().toISOString()}\n`);
    return pglite;
  } catch (err) {
    const reason = describeError(err);
    if (initialised || entries.length === 0) throw new Error(unreadable(dataDir, reason));
    if (!entries.every((e) => POSTGRES_ENTRY.test(e))) {
      throw new Error(`${unreadable(dataDir, reason)} (it also holds files that are not a database's, so it was left alone)`);
    }
    // A first start killed while PGlite was creating the directory: nothing was ever committed.
    log.warn({ dataDir, reason }, "the embedded database never finished initialising; creating it again");
    // Re-read: the failed attempt may have added entries of its own.
    for (const entry of readdirSync(dataDir)) {
      if (entry !== LOCK_SOCKET) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    }
    const pglite = await open().catch((again: unknown) => {
      throw new Error(unreadable(dataDir, describeError(again)));
    });
    writeFileSync(path.join(dataDir, INITIALISED_MARKER), `${new Date().toISOString()}\n`);
    return pglite;
  }
}

const LEGACY_LOCK_FILE = "claimgraph.lock";

function unreadable(dataDir: string, reason: string) {
  return (
    `the embedded database in ${dataDir} cannot be opened (${reason}); ` +
    "restore it from a backup, or move it aside to start with an empty database (the seed is loaded again on the next start)"
  );
}

export async function openPglite(config: DbConfig, log: Logger, options: DbOptions): Promise<Database> {
  const dataDir = config.PGLITE_DATA_DIR;
  const inMemory = dataDir === MEMORY;
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : await lockDataDir(dataDir);
  // Loaded only when used: a PostgreSQL deployment never pays for PGlite's memory.
  const [pglite, { PrismaPGlite }] = await Promise.all([
    createPglite(dataDir, log, options.pgliteImage).catch((err) => {
      unlock();
      throw err;
    }),
    import("pglite-prisma-adapter"),
  ]);
  const prisma = createPrisma(new PrismaPGlite(pglite), options, { maxWait: config.DB_CONNECT_TIMEOUT_MS, timeout: config.DB_STATEMENT_TIMEOUT_MS });
  const session: SqlSession = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
  };
  return {
    kind: "pglite",
    prisma,
    // In-process: no round trip to save, so Prisma's own raw query path is kept.
    // A statement here runs on this thread, so there is nothing running to cancel: refuse new ones.
    read: (sql, signal) => (signal?.throwIfAborted(), prisma.$queryRaw(sql)),
    // PGlite has a single connection, so it is always "the" session.
    withSession: (fn) => fn(session),
    listen: async (channel, handler) => {
      const unsubscribe = await pglite.listen(channel, (payload) => handler.message(payload));
      return () => void unsubscribe();
    },
    announceWrite: async () => void (await announceWrite(prisma)),
    replica: null,
    // One in-process connection: queries queue in PGlite itself and there is no pool to run out of.
    saturated: () => false,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

