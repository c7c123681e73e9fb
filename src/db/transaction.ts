import type { PrismaClient } from "../generated/prisma/client";

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

// The transaction never began: no connection came within DB_CONNECT_TIMEOUT_MS (Prisma's maxWait or pg-pool's own timeout).
const NOT_STARTED = /Unable to start a transaction in the given time|timeout exceeded when trying to connect/;

/**
 * An interactive transaction that is tried once more when it could not even start (no connection
 * came in time): nothing of it ran, so the retry cannot apply it twice. For an editor's verdict,
 * which may queue behind other verdicts waiting for a refresh's short write; a second miss is
 * answered 503 OVERLOADED.
 */
export async function transactionWithRetry<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await prisma.$transaction(fn);
  } catch (err) {
    if (!NOT_STARTED.test((err as Error).message ?? "")) throw err;
    return prisma.$transaction(fn);
  }
}
