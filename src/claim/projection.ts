import { BREAK, visit, type FieldNode, type GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";

/** The fields a client selected on the claims of a connection, and on their source and article. */
export interface ClaimProjection {
  claim: Set<string>;
  source: Set<string> | null;
  article: Set<string> | null;
}

function children(tree: ResolveTree | undefined, typeName: string): ResolveTree[] {
  return tree ? Object.values(tree.fieldsByTypeName[typeName] ?? {}) : [];
}

function names(trees: ResolveTree[]): Set<string> {
  return new Set(trees.map((t) => t.name));
}

/**
 * Apollo reuses the parsed document of a repeated query, so a projection is kept per field node.
 * Not when @skip/@include appear: the selection then depends on the variables.
 */
const projections = new WeakMap<FieldNode, ClaimProjection | "varies">();

function hasConditionalFields(info: GraphQLResolveInfo): boolean {
  let found = false;
  for (const node of [...info.fieldNodes, ...Object.values(info.fragments)]) {
    visit(node, {
      Directive(directive) {
        if (directive.name.value !== "skip" && directive.name.value !== "include") return undefined;
        found = true;
        return BREAK;
      },
    });
  }
  return found;
}

/** Reads the selection of a `ClaimConnection` field (edges.node and nodes), fragments and aliases included. */
export function claimProjection(info: GraphQLResolveInfo): ClaimProjection {
  const key = info.fieldNodes.length === 1 ? info.fieldNodes[0] : null;
  const known = key && projections.get(key);
  if (known && known !== "varies") return known;
  const projection = readProjection(info);
  if (key && !known) projections.set(key, hasConditionalFields(info) ? "varies" : projection);
  return projection;
}

/** The same content gives the same key (projections are kept per field node, so equal ones may be distinct objects). */
const keys = new WeakMap<ClaimProjection, string>();
export function projectionKey(projection: ClaimProjection): string {
  let key = keys.get(projection);
  if (key === undefined) {
    const sorted = (set: Set<string> | null) => (set ? [...set].sort() : null);
    keys.set(projection, (key = JSON.stringify([sorted(projection.claim), sorted(projection.source), sorted(projection.article)])));
  }
  return key;
}

function readProjection(info: GraphQLResolveInfo): ClaimProjection {
  return projectionOfTree(parseResolveInfo(info) as ResolveTree);
}

/** The projection of a ClaimConnection field from its resolve tree (a nested field's, read from its parent's). */
export function projectionOfTree(root: ResolveTree): ClaimProjection {
  const connection = children(root, "ClaimConnection");
  const claimTrees = [
    ...connection.filter((f) => f.name === "nodes"),
    ...connection.filter((f) => f.name === "edges").flatMap((e) => children(e, "ClaimEdge").filter((f) => f.name === "node")),
  ].flatMap((t) => children(t, "Claim"));
  const related = (name: string, type: string) => {
    const trees = claimTrees.filter((f) => f.name === name);
    return trees.length ? names(trees.flatMap((t) => children(t, type))) : null;
  };
  return { claim: names(claimTrees), source: related("source", "Source"), article: related("article", "Article") };
}
