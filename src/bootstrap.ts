import { ConfigError, loadConfig, type Config } from "./config";
import { PrimaryInRecoveryError, openDatabase, type Database } from "./db/database";
import { describeError } from "./describeError";
import { MigrationError, applyMigrations, pendingMigrations } from "./db/migrations";
import { createLogger, type Logger } from "./logger";

/** A startup failure the operator can fix: printed as one line, no stack trace. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly code = "STARTUP_FAILED",
  ) {
    super(message);
  }
}

/**
 * Opens the configured database and makes sure its schema is current: the embedded database is
 * migrated on the spot; on PostgreSQL migrations are an explicit deploy step, so pending ones fail here.
 */
export async function openReadyDatabase(config: Config, log: Logger): Promise<Database> {
  let db: Database;
  try {
    db = await openDatabase(config, log);
  } catch (err) {
    if (err instanceof PrimaryInRecoveryError) throw new StartupError(err.message, err.code);
    // PostgreSQL is connected to on open (to refuse a standby); PGlite fails here on a locked or unreadable directory.
    const what = config.DATABASE_URL ? "database unreachable" : "cannot open the database";
    throw new StartupError(`${what}: ${describeError(err)}`, "DATABASE_UNAVAILABLE");
  }
  try {
    await db.withSession(async (session) => {
      if (db.kind === "pglite") {
        const applied = await applyMigrations(session);
        if (applied.length) log.info({ applied }, "applied migrations to the embedded database");
        return;
      }
      const pending = await pendingMigrations(session);
      if (pending.length) {
        throw new StartupError(`the database has ${pending.length} pending migration(s) (${pending.join(", ")}); run \`npm run db:migrate\` first`, "MIGRATIONS_PENDING");
      }
    });
  } catch (err) {
    await db.close().catch(() => undefined);
    if (err instanceof StartupError || err instanceof MigrationError) throw err;
    const e = err as Error & { code?: string };
    throw new StartupError(`database unreachable: ${e.message || e.code || "connection failed"}`, "DATABASE_UNAVAILABLE");
  }
  return db;
}

/** Runs a command-line entry point: bad config or an unreachable database exit with one clear line. */
export function runMain(main: (config: Config, log: Logger) => Promise<number | void>) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`claimgraph: ${err.code}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  main(config, log).then(
    (code) => {
      if (typeof code === "number") process.exitCode = code;
    },
    (err: Error & { code?: string }) => {
      const known = err instanceof StartupError || err instanceof MigrationError;
      process.stderr.write(`claimgraph: ${known ? err.code : "FATAL"}: ${err.message}\n`);
      if (!known) log.error({ err }, "fatal error");
      process.exit(err.code === "USAGE" ? 2 : 1);
    },
  );
}
