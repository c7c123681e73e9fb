import type { Database } from "./database";
import { pendingMigrations } from "./migrations";
import type { ReplicaStatus } from "./readRouting";

/** Stable reasons a client may see; `detail` (driver messages, migration names) is for the log only. */
export type NotReadyReason = "DATABASE_TIMEOUT" | "DATABASE_UNAVAILABLE" | "MIGRATIONS_PENDING" | "PRIMARY_IN_RECOVERY";
export type Readiness = ({ ready: true } | { ready: false; reason: NotReadyReason; detail: string }) & { replica?: ReplicaStatus };

/**
 * Ready = the primary answers within the timeout, is not in recovery (read-only), and every
 * committed migration is applied. A read replica is reported (its lag) but never makes the server
 * unready: while it is unavailable or behind, reads fall back to the primary.
 */
export async function checkReadiness(db: Database, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: "DATABASE_TIMEOUT", detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const check = async (): Promise<Readiness> => {
    const [primary, , replica] = await Promise.all([
      db.withSession(async (session): Promise<Readiness> => {
        const [{ recovery }] = await session.query<{ recovery: boolean }>("SELECT pg_is_in_recovery() AS recovery");
        if (recovery) return { ready: false, reason: "PRIMARY_IN_RECOVERY", detail: "the primary is a read-only standby now" };
        const pending = await pendingMigrations(session);
        return pending.length ? { ready: false, reason: "MIGRATIONS_PENDING", detail: pending.join(", ") } : { ready: true };
      }),
      // The request path's own pool (it may go through a pooler the session connection bypasses).
      db.prisma.$queryRaw`SELECT 1`,
      db.replica?.status().catch((): ReplicaStatus => ({ available: false, replayLsn: null, lagBytes: null, caughtUp: false, ...db.replica!.stats })),
    ]);
    return replica ? { ...primary, replica } : primary;
  };
  try {
    return await Promise.race([check().catch((err: Error): Readiness => ({ ready: false, reason: "DATABASE_UNAVAILABLE", detail: err.message })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
