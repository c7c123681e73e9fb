import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { mergeTypeDefs } from "@graphql-tools/merge";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { Kind, buildASTSchema, lexicographicSortSchema, visit, type DocumentNode, type InputValueDefinitionNode } from "graphql";
import { PROJECT_ROOT } from "../paths";
import { LIST_CAP, STRING_CAP, declaredCap } from "./inputCaps";

/** The committed, merged contract that the server loads; `npm run generate` rewrites it. */
export const SCHEMA_FILE = path.join(PROJECT_ROOT, "schema.graphql");

/** Merges every module's SDL (src/<domain>/*.graphql) into one sorted, printed schema. */
export function mergeModuleSdl(srcDir = path.join(PROJECT_ROOT, "src")): string {
  const files = readdirSync(srcDir, { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith(".graphql"))
    .map((f) => path.join(f.parentPath, f.name))
    .sort();
  const merged = printCaps(mergeTypeDefs(files.map((file) => readFileSync(file, "utf8"))));
  // printSchemaWithDirectives keeps applied directives (@cacheControl, the caps), unlike printSchema.
  return printSchemaWithDirectives(lexicographicSortSchema(buildASTSchema(merged))) + "\n";
}

/**
 * Appends each declared cap (@listCap, @stringCap) to its argument's or input field's description,
 * so readers of the contract (the Sandbox, schema.graphql) see the number the server enforces. The
 * prose never states a cap itself: the directive is the one place it is written.
 */
function printCaps(document: DocumentNode): DocumentNode {
  return visit(document, {
    InputValueDefinition(node: InputValueDefinitionNode) {
      const list = declaredCap(node, LIST_CAP);
      const string = declaredCap(node, STRING_CAP);
      if ((list === undefined && string === undefined) || !node.description) return undefined;
      if (/\bat most \d/i.test(node.description.value)) {
        throw new Error(`${node.name.value}: its description states a cap; declare it only with @${LIST_CAP}/@${STRING_CAP} (it is printed from there)`);
      }
      const sentence =
        list !== undefined && string !== undefined
          ? `At most ${list} values, each at most ${string} characters.`
          : list !== undefined
            ? `At most ${list} values.`
            : `At most ${string} characters.`;
      return { ...node, description: { kind: Kind.STRING, value: `${node.description.value.trimEnd()} ${sentence}`, block: node.description.block } };
    },
  });
}

export function readSchemaFile(): string {
  return readFileSync(SCHEMA_FILE, "utf8");
}
