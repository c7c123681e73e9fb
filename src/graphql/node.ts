import type { Resolvers } from "../generated/graphql";
import { requireRole, type Context } from "./context";
import { badInput } from "./errors";
import { parseGlobalId } from "./globalId";

async function loadNode(globalId: string, ctx: Context) {
  const parsed = parseGlobalId(globalId);
  if (!parsed) return null;
  const { type, id } = parsed;
  const row =
    type === "Article" ? await ctx.loaders.article.load(id)
    : type === "Claim" ? await ctx.loaders.claim.load(id)
    : type === "Source" ? await ctx.loaders.source.load(id)
    : type === "Event" ? await ctx.loaders.event.load(id)
    : type === "VerdictChange" ? await ctx.loaders.verdictChange.load(id)
    : (await requireRole(ctx, "ADMIN"), await ctx.services.apiKeys.byId(id));
  return row ? { ...row, __typename: type } : null;
}

export const nodeResolvers: Resolvers = {
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
