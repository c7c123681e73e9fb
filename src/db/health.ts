import type { Database } from "./database";
import { pendingMigrations } from "./migrations";

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Ready = the database answers within the timeout and every committed migration is applied. */
export async function checkReadiness(db: Database, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: "database did not answer in time" }), timeoutMs);
  });
  const check = db
    .withSession(async (session) => {
      await session.query("SELECT 1");
      const pending = await pendingMigrations(session);
      return pending.length
        ? ({ ready: false, reason: `pending migrations: ${pending.join(", ")}` } as const)
        : ({ ready: true } as const);
    })
    .catch((err: Error): Readiness => ({ ready: false, reason: `database unavailable: ${err.message}` }));
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
