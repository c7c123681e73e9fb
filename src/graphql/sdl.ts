import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { mergeTypeDefs } from "@graphql-tools/merge";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { buildASTSchema, lexicographicSortSchema } from "graphql";
import { PROJECT_ROOT } from "../paths";

/** The committed, merged contract that the server loads; `npm run generate` rewrites it. */
export const SCHEMA_FILE = path.join(PROJECT_ROOT, "schema.graphql");

/** Merges every module's SDL (src/<domain>/*.graphql) into one sorted, printed schema. */
export function mergeModuleSdl(srcDir = path.join(PROJECT_ROOT, "src")): string {
  const files = readdirSync(srcDir, { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith(".graphql"))
    .map((f) => path.join(f.parentPath, f.name))
    .sort();
  const merged = mergeTypeDefs(files.map((file) => readFileSync(file, "utf8")));
  // printSchemaWithDirectives keeps applied directives (the @cacheControl hints), unlike printSchema.
  return printSchemaWithDirectives(lexicographicSortSchema(buildASTSchema(merged))) + "\n";
}

export function readSchemaFile(): string {
  return readFileSync(SCHEMA_FILE, "utf8");
}
