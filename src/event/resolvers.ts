import { claimProjection } from "../claim/projection";
import type { Resolvers } from "../generated/graphql";
import { requireRole } from "../auth/credentials";
import { payload } from "../graphql/errors";
import { badInput } from "../validation/badInput";
import { decodeFilter, idOf, inputId, toGlobalId } from "../graphql/globalId";
import { present } from "../graphql/present";

export const eventResolvers: Resolvers = {
  Query: {
    event: (_, { id, slug }, ctx) => {
      if ((id == null) === (slug == null)) throw badInput("give exactly one of id and slug");
      if (slug != null) return ctx.services.events.bySlug(slug);
      const eventId = idOf("Event", id!);
      return eventId ? ctx.loaders.event.load(eventId) : null;
    },
    events: (_, args, ctx) => ctx.services.events.list({ ...args, filter: decodeFilter(args.filter, { sourceId: "Source" }) }),
  },
  Mutation: {
    eventCreate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      return payload(async () => ({ event: await ctx.services.events.create(input) }));
    },
    eventLink: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      const ids = { eventId: inputId("Event", input.eventId), claimId: inputId("Claim", input.claimId) };
      return payload(async () => ({ event: await ctx.services.events.link({ ...input, ...ids }) }));
    },
  },
  Event: {
    id: (event) => toGlobalId("Event", event.id),
    participants: (event, _, ctx) => ctx.loaders.eventParticipants.load(event.id),
    claims: (event, args, ctx, info) => ctx.loaders.nestedClaims.load("event", event.id, args, claimProjection(info)),
    mentions: (event, _, ctx) => ctx.loaders.eventMentions.load(event.id),
  },
  EventParticipant: {
    source: async (p, _, ctx) => present(await ctx.loaders.source.load(p.sourceId), "source"),
  },
  EventArticleMention: {
    article: async (m, _, ctx) => present(await ctx.loaders.article.load(m.articleId), "article"),
  },
};
