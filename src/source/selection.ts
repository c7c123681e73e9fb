import type { GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";
import { selectsField } from "../graphql/selection";

/**
 * The resolve tree of a Source field's `claims` when it is selected exactly once (its arguments as
 * coerced for this request): its first page can then be read with the source. Null otherwise (not
 * selected, or under several aliases, each with its own arguments).
 */
export function onlyClaimsField(info: GraphQLResolveInfo): ResolveTree | null {
  // The cheap, per-document check first: most source lookups do not select claims.
  if (!selectsField(info, "Source", "claims")) return null;
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const claims = Object.values(tree?.fieldsByTypeName.Source ?? {}).filter((field) => field.name === "claims");
  return claims.length === 1 ? claims[0] : null;
}
