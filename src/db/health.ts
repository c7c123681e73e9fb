import type { Database } from "./database";
import { pendingMigrations } from "./migrations";

/** Stable reasons a client may see; `detail` (driver messages, migration names) is for the log only. */
export type NotReadyReason = "DATABASE_TIMEOUT" | "DATABASE_UNAVAILABLE" | "MIGRATIONS_PENDING";
export type Readiness = { ready: true } | { ready: false; reason: NotReadyReason; detail: string };

/** Ready = the database answers within the timeout and every committed migration is applied. */
export async function checkReadiness(db: Database, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: "DATABASE_TIMEOUT", detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const check = db
    .withSession(async (session) => {
      await session.query("SELECT 1");
      const pending = await pendingMigrations(session);
      return pending.length
        ? ({ ready: false, reason: "MIGRATIONS_PENDING", detail: pending.join(", ") } as const)
        : ({ ready: true } as const);
    })
    .catch((err: Error): Readiness => ({ ready: false, reason: "DATABASE_UNAVAILABLE", detail: err.message }));
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
