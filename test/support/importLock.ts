import type pg from "pg";
import { IMPORT_LOCK_KEY } from "../../src/importer/importer";
import { spawnCli, type CliResult } from "./cli";

/** How many sessions hold the seed import's advisory lock right now. */
export async function importLocksHeld(client: pg.Client): Promise<number> {
  const { rows } = await client.query(
    // This database's only: other test runs on the shared server take the same lock in theirs.
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [Math.floor(IMPORT_LOCK_KEY / 2 ** 32), IMPORT_LOCK_KEY % 2 ** 32],
  );
  return rows[0].n;
}

export async function waitForImportLock(client: pg.Client, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await importLocksHeld(client)) === 0) {
    if (Date.now() > deadline) throw new Error("the import never took its lock");
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Holds every import inside its transaction until `release`: an import's last write (its import_run
 * row) waits for this SHARE lock, so however fast imports have become, one started meanwhile still
 * holds the import lock and has committed nothing. `client` stays usable for reads meanwhile.
 */
export async function holdImportsBeforeCommit(client: pg.Client): Promise<() => Promise<void>> {
  await client.query("BEGIN");
  await client.query("LOCK TABLE import_run IN SHARE MODE");
  return async () => void (await client.query("COMMIT"));
}

/** Starts `npm run seed` as a child, waits until it is inside its transaction, sleeps, then SIGKILLs it there. */
export async function killImportMidTransaction(client: pg.Client, env: Record<string, string>, args: string[], delayMs: number): Promise<CliResult> {
  const release = await holdImportsBeforeCommit(client);
  try {
    const { child, done } = spawnCli("src/importer/cli.ts", args, env);
    await waitForImportLock(client);
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill("SIGKILL");
    return await done;
  } finally {
    await release();
  }
}

/** After a kill the server notices the dead client within client_connection_check_interval; wait for it. */
export async function waitForImportLockReleased(client: pg.Client, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let held = await importLocksHeld(client);
  while (held > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    held = await importLocksHeld(client);
  }
  return held;
}
