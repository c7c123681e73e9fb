import type { Resolvers } from "../generated/graphql";
import { requireRole } from "../graphql/context";
import { payload } from "../graphql/errors";
import { idOf, toGlobalId } from "../graphql/globalId";
import { present } from "../graphql/present";
import { claimReview } from "./claimReview";
import { claimProjection } from "./projection";
import { quoteView } from "../article/anchoring";

export const claimResolvers: Resolvers = {
  Query: {
    claims: (_, args, ctx, info) => ctx.services.claims.list(args.filter, args.orderBy, args.first, args.after, claimProjection(info)),
    claim: (_, { id }, ctx) => {
      const claimId = idOf("Claim", id);
      return claimId ? ctx.loaders.claim.load(claimId) : null;
    },
    claimStats: (_, args, ctx) =>
      ctx.services.claims.stats(args.filter, args.groupBySource ?? false, args.sourceLimit ?? 20),
  },
  Mutation: {
    claimSetStatus: async (_, { input }, ctx) => {
      const actor = await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claims.setStatus(input, actor) }));
    },
    claimSetAttribution: async (_, { input }, ctx) => {
      const actor = await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claims.setAttribution(input, actor) }));
    },
    claimCreate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claims.create(input) }));
    },
    claimUpdate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claims.update(input) }));
    },
    claimRetire: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claims.retire(input.claimId) }));
    },
  },
  Claim: {
    id: (claim) => toGlobalId("Claim", claim.id),
    // Lists join source and article in their one query; single claims load them in batches. Not
    // async: a joined value returned as is keeps a whole page's execution free of promises.
    source: (claim, _, ctx) => claim.source ?? ctx.loaders.source.load(claim.sourceId).then((s) => present(s, "source")),
    article: (claim, _, ctx) => claim.article ?? ctx.loaders.article.load(claim.articleId).then((a) => present(a, "article")),
    quote: async (claim, _, ctx) => quoteView(claim, await ctx.loaders.articleBody.load(claim.articleId)),
    events: async (claim, { linkType }, ctx) => {
      const links = await ctx.loaders.claimEvents.load(claim.id);
      return linkType ? links.filter((l) => l.linkType === linkType) : links;
    },
    history: (claim, _, ctx) => ctx.loaders.claimHistory.load(claim.id),
    claimReview: async (claim, _, ctx) => {
      const [source, article, history] = await Promise.all([
        claim.source ?? ctx.loaders.source.load(claim.sourceId),
        claim.article ?? ctx.loaders.article.load(claim.articleId),
        ctx.loaders.claimHistory.load(claim.id),
      ]);
      const lastVerdict = history.find((h) => h.aspect === "VERIFICATION");
      return claimReview(claim, present(source, "source"), present(article, "article"), lastVerdict);
    },
  },
  ClaimEventLink: {
    event: async (link, _, ctx) => present(await ctx.loaders.event.load(link.eventId), "event"),
  },
  VerdictChange: {
    id: (change) => toGlobalId("VerdictChange", change.id),
    claim: async (change, _, ctx) => present(await ctx.loaders.claim.load(change.claimId), "claim"),
  },
  SourceStatusCounts: {
    source: async (row, _, ctx) => present(await ctx.loaders.source.load(row.sourceId), "source"),
  },
};
