import { parseArgs } from "node:util";
import { Cron } from "croner";
import { openReadyDatabase, runMain, StartupError } from "../bootstrap";
import { directConfig } from "../config";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logger";
import { DEFAULT_SEED_DIR } from "../paths";
import { ImportAlreadyRunningError, recordFailedImport, runImport, type ImportResult } from "./importer";
import { describeError } from "../describeError";
import { SeedLoadError, loadSeed } from "./loadSeed";
import type { SeedSet } from "./seedSchema";

const USAGE = `usage: npm run seed -- [--from <dir|https-url>] [--dry-run] [--cron "<expression>"]
  --from     seed set to load (default: the project's seed/ directory)
  --dry-run  print the changes it would make; write nothing
  --cron     keep running and refresh on this schedule (5 or 6 field cron, e.g. "0 */6 * * *")`;

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, ALREADY_RUNNING: 75 } as const;

function parseCli(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        cron: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.cron !== undefined && values["dry-run"]) throw new Error("--cron and --dry-run do not go together");
    return values;
  } catch (err) {
    throw new StartupError(`${(err as Error).message}\n${USAGE}`, "USAGE");
  }
}

function printSummary(result: ImportResult, seconds: number) {
  const rows = Object.entries(result.byEntity)
    .filter(([, c]) => c.created + c.updated + c.deleted + c.unchanged + c.retired > 0)
    .map(([entity, c]) => ({ entity, ...c }));
  console.table(rows);
  const verb = result.dryRun ? "would write" : "wrote";
  console.log(
    `${result.dryRun ? "dry run: " : ""}${verb} ${result.written} row(s): ${result.created} created, ${result.updated} updated, ` +
      `${result.retired} retired, ${result.unchanged} unchanged (${seconds.toFixed(2)} s)` +
      (result.written === 0 ? " — the database already matches the seed" : ""),
  );
}

interface Refresh {
  from: string;
  dryRun: boolean;
  /** A --cron tick: every failure is recorded in import_run, since nobody watches the terminal. */
  scheduled: boolean;
  timeoutMs: number;
}

/** One import: load, validate, apply. Never throws; returns the process exit code. */
async function importOnce(prisma: PrismaClient, refresh: Refresh, log: Logger): Promise<number> {
  const started = new Date();
  let seed: SeedSet | undefined;
  try {
    console.log(`loading seed from ${refresh.from} ...`);
    seed = await loadSeed(refresh.from, { timeoutMs: refresh.timeoutMs });
    const claims = seed.articles.reduce((n, a) => n + a.claims.length, 0);
    console.log(`validated: ${seed.sources.length} sources, ${seed.events.length} events, ${seed.articles.length} article(s), ${claims} claims`);
    console.log(refresh.dryRun ? "computing changes (dry run) ..." : "applying changes in one transaction ...");
    const result = await runImport(prisma, seed, { dryRun: refresh.dryRun });
    if (refresh.dryRun) for (const c of result.changes) console.log(`  ${c.action.padEnd(6)} ${c.entity.padEnd(11)} ${c.key}${c.fields ? ` (${c.fields.join(", ")})` : ""}`);
    printSummary(result, (Date.now() - started.getTime()) / 1000);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof ImportAlreadyRunningError) {
      console.error(`claimgraph: ${err.code}: ${err.message}`);
      return EXIT.ALREADY_RUNNING;
    }
    const loading = err instanceof SeedLoadError;
    const code = loading ? err.code : "IMPORT_FAILED";
    const reason = loading ? err.problems.join("; ") : describeError(err);
    log.error({ source: refresh.from, code, reason }, loading ? "seed refresh failed: nothing was imported" : "seed refresh failed: rolled back, nothing was changed");
    console.error(`claimgraph: ${code}: ${loading ? err.message : `${reason} (rolled back; nothing was changed)`}`);
    // A one-off run's operator sees the error; a broken seed set given by hand leaves no trace.
    if (!refresh.dryRun && (refresh.scheduled || !loading)) {
      await recordFailedImport(prisma, seed?.origin ?? refresh.from, seed?.checksum ?? "", started, new Error(`${code}: ${reason}`)).catch((recordErr) =>
        log.warn({ source: refresh.from, reason: describeError(recordErr) }, "could not record the failed refresh in import_run"),
      );
    }
    return EXIT.FAILED;
  }
}

runMain(async (config, log) => {
  const args = parseCli(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return EXIT.OK;
  }
  const from = args.from ?? DEFAULT_SEED_DIR;
  if (args.cron !== undefined) {
    try {
      new Cron(args.cron).stop(); // validate before touching the database
    } catch (err) {
      throw new StartupError(`--cron "${args.cron}" is not a valid cron expression: ${(err as Error).message}`, "USAGE");
    }
  }
  // A long transaction of its own: on the primary directly, not holding a pooler's connection.
  const db = await openReadyDatabase(directConfig(config), log);
  if (args.cron === undefined) {
    try {
      return await importOnce(db.prisma, { from, dryRun: args["dry-run"], scheduled: false, timeoutMs: config.SEED_FETCH_TIMEOUT_MS }, log);
    } finally {
      await db.close();
    }
  }
  const cron = new Cron(
    args.cron,
    // A refresh still running when the next is due makes croner skip that one, not queue it.
    {
      protect: () => log.warn("previous refresh still running; skipped this one"),
      catch: (err) => log.error({ source: from, reason: describeError(err) }, "seed refresh failed"),
    },
    // importOnce never throws: a failed tick is logged and recorded, and the schedule goes on.
    async () => {
      const code = await importOnce(db.prisma, { from, dryRun: false, scheduled: true, timeoutMs: config.SEED_FETCH_TIMEOUT_MS }, log);
      log.info({ code, next: cron.nextRun() }, "scheduled refresh finished");
    },
  );
  console.log(`refreshing from ${from} on schedule "${args.cron}"; next run ${cron.nextRun()?.toISOString()}`);
  await new Promise<void>((resolve) => {
    const stop = async () => {
      cron.stop();
      while (cron.isBusy()) await new Promise((r) => setTimeout(r, 100));
      await db.close();
      resolve();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  return EXIT.OK;
});
