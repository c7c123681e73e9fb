import type { Database } from "./database";
import { pendingMigrations } from "./migrations";
import type { ReplicaStatus } from "./readRouting";

export type Readiness = { ready: true; replica?: ReplicaStatus } | { ready: false; reason: string; replica?: ReplicaStatus };

/**
 * Ready = the primary answers within the timeout, is not in recovery (read-only), and every
 * committed migration is applied. A read replica is reported (its lag) but never makes the server
 * unready: while it is unavailable or behind, reads fall back to the primary.
 */
export async function checkReadiness(db: Database, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: "database did not answer in time" }), timeoutMs);
  });
  const check = async (): Promise<Readiness> => {
    const [primary, replica] = await Promise.all([
      db.withSession(async (session) => {
        const [{ recovery }] = await session.query<{ recovery: boolean }>("SELECT pg_is_in_recovery() AS recovery");
        if (recovery) return { ready: false, reason: "the primary is in recovery (a read-only standby)" } as const;
        const pending = await pendingMigrations(session);
        return pending.length ? ({ ready: false, reason: `pending migrations: ${pending.join(", ")}` } as const) : ({ ready: true } as const);
      }),
      // The request path's own pool (it may go through a pooler the session connection bypasses).
      db.prisma.$queryRaw`SELECT 1`,
      db.replica?.status().catch((): ReplicaStatus => ({ available: false, replayLsn: null, lagBytes: null, caughtUp: false, ...db.replica!.stats })),
    ]).then(([primary, , replica]) => [primary, replica] as const);
    return replica ? { ...primary, replica } : primary;
  };
  try {
    return await Promise.race([check().catch((err: Error): Readiness => ({ ready: false, reason: `database unavailable: ${err.message}` })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
