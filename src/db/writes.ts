import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** PostgreSQL channel on which every write is announced, so each replica drops its response cache. */
export const WRITES_CHANNEL = "claimgraph_writes";

/** Inside a transaction the notification is delivered on commit, and not at all on rollback. */
export async function announceWrite(client: PrismaClient | Prisma.TransactionClient): Promise<void> {
  await client.$executeRawUnsafe(`NOTIFY ${WRITES_CHANNEL}`);
}
