import type { ClaimFilter as ClaimFilterInput, Resolvers } from "../generated/graphql";
import { requireRole } from "../auth/credentials";
import { payload } from "../graphql/errors";
import { decodeFilter, idOf, inputId, toGlobalId } from "../graphql/globalId";
import { present } from "../graphql/present";
import { plainListValue } from "../graphql/listedItems";
import { selectsField } from "../graphql/selection";
import { claimReview } from "./claimReview";
import { claimProjection } from "./projection";
import { quoteView } from "../article/anchoring";
import type { ClaimFilter } from "./service";

/** A claim filter as the services take it: a malformed source, article or event ID is BAD_USER_INPUT. */
export function claimFilter(filter: ClaimFilterInput | null | undefined): ClaimFilter | null | undefined {
  return decodeFilter(filter, { sourceId: "Source", articleId: "Article", eventId: "Event" });
}

export const claimResolvers: Resolvers = {
  Query: {
    claims: (_, args, ctx, info) =>
      ctx.services.claims.list({
        ...args,
        filter: claimFilter(args.filter),
        projection: claimProjection(info),
        totalSelected: selectsField(info, "ClaimConnection", "totalCount") || selectsField(info, "ClaimConnection", "totalCountIsExact"),
      }),
    claim: (_, { id }, ctx, info) => {
      const claimId = idOf("Claim", id);
      if (!claimId) return null;
      if (!selectsField(info, "Claim", "history")) return ctx.loaders.claim.load(claimId);
      // A claim page: the claim and its history in one round trip, handed to the loaders that serve them.
      return ctx.services.claims.withHistory(claimId).then((found) => {
        if (!found) return null;
        ctx.loaders.claim.prime(claimId, found.claim);
        ctx.loaders.claimHistory.prime(claimId, plainListValue("Claim.history", found.history));
        return found.claim;
      });
    },
    claimStats: (_, args, ctx) =>
      ctx.services.claims.stats({ filter: claimFilter(args.filter), groupBySource: args.groupBySource ?? false, sourceLimit: args.sourceLimit ?? 20 }),
  },
  Mutation: {
    claimSetStatus: async (_, { input }, ctx) => {
      const actor = await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claimEditor.setStatus({ ...input, claimId: inputId("Claim", input.claimId) }, actor) }));
    },
    claimSetAttribution: async (_, { input }, ctx) => {
      const actor = await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claimEditor.setAttribution({ ...input, claimId: inputId("Claim", input.claimId) }, actor) }));
    },
    claimCreate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      const ids = { articleId: inputId("Article", input.articleId), sourceId: inputId("Source", input.sourceId) };
      return payload(async () => ({ claim: await ctx.services.claimEditor.create({ ...input, ...ids }) }));
    },
    claimUpdate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      const ids = { claimId: inputId("Claim", input.claimId), sourceId: input.sourceId && inputId("Source", input.sourceId) };
      return payload(async () => ({ claim: await ctx.services.claimEditor.update({ ...input, ...ids }) }));
    },
    claimRetire: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      return payload(async () => ({ claim: await ctx.services.claimEditor.retire(inputId("Claim", input.claimId)) }));
    },
  },
  Claim: {
    id: (claim) => toGlobalId("Claim", claim.id),
    // Lists join source and article in their one query; single claims load them in batches. Not
    // async: a joined value returned as is keeps a whole page's execution free of promises.
    source: (claim, _, ctx) => claim.source ?? ctx.loaders.source.load(claim.sourceId).then((s) => present(s, "source")),
    article: (claim, _, ctx) => claim.article ?? ctx.loaders.article.load(claim.articleId).then((a) => present(a, "article")),
    // Synchronous when the body came with the claim, as source and article above.
    quote: (claim, _, ctx) =>
      claim.articleBody !== undefined ? quoteView(claim, claim.articleBody) : ctx.loaders.articleBody.load(claim.articleId).then((body) => quoteView(claim, body)),
    events: async (claim, { linkType }, ctx) => {
      const links = await ctx.loaders.claimEvents.load(claim.id);
      return linkType ? links.filter((l) => l.linkType === linkType) : links;
    },
    history: (claim, _, ctx) => ctx.loaders.claimHistory.load(claim.id),
    claimReview: async (claim, _, ctx) => {
      if (!ctx.reviewPublisher) return null;
      const [source, article, history] = await Promise.all([
        claim.source ?? ctx.loaders.source.load(claim.sourceId),
        claim.article ?? ctx.loaders.article.load(claim.articleId),
        ctx.loaders.claimHistory.load(claim.id),
      ]);
      const id = toGlobalId("Claim", claim.id);
      return claimReview(claim, id, present(source, "source"), present(article, "article"), history, ctx.reviewPublisher);
    },
  },
  ClaimEventLink: {
    event: async (link, _, ctx) => present(await ctx.loaders.event.load(link.eventId), "event"),
  },
  VerdictChange: {
    id: (change) => toGlobalId("VerdictChange", change.id),
    claim: async (change, _, ctx) => present(await ctx.loaders.claim.load(change.claimId), "claim"),
    // The desk's internal record: any valid key (VIEWER and up) reads it; anonymous answers, the only
    // ones the public response cache stores, carry null, so the cache never holds either.
    rationale: (change, _, ctx) => (ctx.apiKey ? change.rationale : null),
    changedBy: (change, _, ctx) => (ctx.apiKey ? change.changedBy : null),
  },
  SourceStatusCounts: {
    source: async (row, _, ctx) => present(await ctx.loaders.source.load(row.sourceId), "source"),
  },
};
