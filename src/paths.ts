import { existsSync } from "node:fs";
import path from "node:path";

/** The project root, whether running from src/ (tsx, jest) or compiled into dist/src/. */
function findRoot(dir: string): string {
  if (existsSync(path.join(dir, "package.json"))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error("claimgraph: package.json not found above " + __dirname);
  return findRoot(parent);
}

export const PROJECT_ROOT = findRoot(__dirname);
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma", "migrations");
export const DEFAULT_SEED_DIR = path.join(PROJECT_ROOT, "seed");
