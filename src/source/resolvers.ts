import { claimProjection, projectionOfTree } from "../claim/projection";
import type { NestedClaimArgs } from "../claim/service";
import { onlyClaimsField } from "./selection";
import type { Resolvers } from "../generated/graphql";
import { requireRole } from "../auth/credentials";
import { payload } from "../graphql/errors";
import { badInput } from "../validation/badInput";
import { decodeFilter, idOf, inputId, toGlobalId } from "../graphql/globalId";

export const sourceResolvers: Resolvers = {
  Query: {
    source: (_, { id, slug }, ctx, info) => {
      if ((id == null) === (slug == null)) throw badInput("give exactly one of id and slug");
      if (slug != null) return ctx.services.sources.bySlug(slug);
      const sourceId = idOf("Source", id!);
      if (!sourceId) return null;
      const claims = onlyClaimsField(info);
      if (!claims) return ctx.loaders.source.load(sourceId);
      // An actor's page: the source and its claims' first page in one round trip, handed to the loaders that serve them.
      const args = claims.args as NestedClaimArgs;
      const projection = projectionOfTree(claims);
      return ctx.services.claims.sourceWithClaims(sourceId, args, projection).then((found) => {
        if (!found) return null;
        ctx.loaders.source.prime(sourceId, found.source);
        ctx.loaders.nestedClaims.prime("source", sourceId, args, projection, found.claims);
        return found.source;
      });
    },
    sources: (_, args, ctx) => ctx.services.sources.list({ ...args, filter: decodeFilter(args.filter, { affiliationId: "Source" }) }),
  },
  Mutation: {
    sourceCreate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      const affiliationId = input.affiliationId && inputId("Source", input.affiliationId);
      return payload(async () => ({ source: await ctx.services.sources.create({ ...input, affiliationId }) }));
    },
    sourceUpdate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      const ids = { sourceId: inputId("Source", input.sourceId), affiliationId: input.affiliationId && inputId("Source", input.affiliationId) };
      return payload(async () => ({ source: await ctx.services.sources.update({ ...input, ...ids }) }));
    },
  },
  Source: {
    id: (source) => toGlobalId("Source", source.id),
    aliases: (source, _, ctx) => ctx.loaders.sourceAliases.load(source.id),
    affiliation: (source, _, ctx) => (source.affiliationId ? ctx.loaders.source.load(source.affiliationId) : null),
    members: (source, _, ctx) => ctx.loaders.sourceMembers.load(source.id),
    claims: (source, args, ctx, info) => ctx.loaders.nestedClaims.load("source", source.id, args, claimProjection(info)),
  },
};
