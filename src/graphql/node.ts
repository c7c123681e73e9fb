import type { Resolvers, ResolversTypes } from "../generated/graphql";
import type { Context } from "./context";
import { badInput } from "../validation/badInput";
import { parseGlobalId, type NodeType } from "./globalId";

/** How each node type is fetched by its database id (each domain module declares its own). */
export type NodeFetchers = { [T in NodeType]?: (id: string, ctx: Context) => Promise<object | null> };

/** `node(id:)` and `nodes(ids:)` over the node types the modules declare. */
export function nodeResolvers(fetchers: NodeFetchers): Resolvers {
  async function loadNode(globalId: string, ctx: Context) {
    const parsed = parseGlobalId(globalId);
    const fetch = parsed && fetchers[parsed.type];
    if (!parsed || !fetch) return null;
    const row = await fetch(parsed.id, ctx);
    // The fetchers return the mapped rows of their own type; __typename picks the Node implementation.
    return row ? ({ ...row, __typename: parsed.type } as unknown as ResolversTypes["Node"]) : null;
  }
  return {
    Query: {
      node: (_, { id }, ctx) => loadNode(id, ctx),
      nodes: (_, { ids }, ctx) => {
        if (ids.length > 100) throw badInput(`ids takes at most 100 IDs, got ${ids.length}`, "ids");
        return Promise.all(ids.map((id) => loadNode(id, ctx)));
      },
    },
    Node: {
      __resolveType: (node) => (node as unknown as { __typename: "Article" }).__typename,
    },
  };
}
