import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "../generated/prisma/client";
import type { DbOptions } from "./database";

/**
 * Prisma over a driver adapter. `transaction` bounds interactive transactions (a verdict, an
 * intake): waiting for a connection as long as any query may (DB_CONNECT_TIMEOUT_MS, instead of
 * Prisma's 2 s, which turned a busy pool into "Unable to start a transaction in the given time"),
 * and running as long as one statement may (instead of Prisma's 5 s, which a verdict waiting for a
 * refresh's row lock could outlast).
 */
export function createPrisma(adapter: SqlDriverAdapterFactory, options: DbOptions, transaction?: { maxWait: number; timeout: number }): PrismaClient {
  const transactionOptions = transaction && { maxWait: transaction.maxWait, timeout: transaction.timeout };
  if (!options.onQuery) return new PrismaClient({ adapter, transactionOptions });
  const prisma = new PrismaClient({ adapter, transactionOptions, log: [{ emit: "event", level: "query" }] });
  prisma.$on("query", (event) => options.onQuery!(event.query));
  return prisma;
}
