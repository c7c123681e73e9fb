import type { FieldNode, GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";

/**
 * Answers per field node: Apollo reuses the parsed document of a repeated query. Only a hint for
 * reading ahead (a wrong answer under @skip/@include costs a read, never a wrong result), so the
 * first answer is kept whatever the variables.
 */
const answers = new WeakMap<FieldNode, Map<string, boolean>>();

/** Whether the resolving field's selection includes `field` of `typeName` directly (fragments and aliases included). */
export function selectsField(info: GraphQLResolveInfo, typeName: string, field: string): boolean {
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : null;
  const key = `${typeName}.${field}`;
  const known = node ? answers.get(node)?.get(key) : undefined;
  if (known !== undefined) return known;
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const found = Object.values(tree?.fieldsByTypeName[typeName] ?? {}).some((child) => child.name === field);
  if (node) {
    let perNode = answers.get(node);
    if (!perNode) answers.set(node, (perNode = new Map()));
    perNode.set(key, found);
  }
  return found;
}
