import type { Database } from "../db/database";
import type { Services } from "../graphql/context";
import { modules } from "./modules";

/** The one layer that talks to the database, built from every module's factory; resolvers and the CLIs go through it. */
export function createServices({ prisma, read }: Pick<Database, "prisma" | "read">): Services {
  const built: Partial<Services> = {};
  for (const module of modules) Object.assign(built, module.services?.({ prisma, read }, built));
  return built as Services;
}

export type { Services };
