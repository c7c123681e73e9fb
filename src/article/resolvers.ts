import type { Resolvers } from "../generated/graphql";
import { requireRole } from "../auth/credentials";
import { payload } from "../graphql/errors";
import { badInput } from "../validation/badInput";
import { decodeFilter, idOf, inputId, toGlobalId } from "../graphql/globalId";
import { present } from "../graphql/present";

export const articleResolvers: Resolvers = {
  Query: {
    article: (_, { id, slug, url }, ctx) => {
      if ([id, slug, url].filter((v) => v != null).length !== 1) throw badInput("give exactly one of id, slug and url");
      if (id != null) {
        const articleId = idOf("Article", id);
        return articleId ? ctx.loaders.article.load(articleId) : null;
      }
      return ctx.services.articles.find({ slug, url: url?.toString() });
    },
    articles: (_, args, ctx) => ctx.services.articles.list({ ...args, filter: decodeFilter(args.filter, { eventId: "Event" }) }),
  },
  Mutation: {
    articleCreate: async (_, { input }, ctx) => {
      await requireRole(ctx, "EDITOR");
      return payload(() =>
        ctx.services.articles.create({ ...input, url: input.url.toString(), slug: input.slug ?? undefined, tags: input.tags ?? [], urlVerified: input.urlVerified ?? false }),
      );
    },
    articleUpdate: async (_, { input: { articleId, ...changes } }, ctx) => {
      const actor = await requireRole(ctx, "EDITOR");
      const { url, ...rest } = changes;
      // Omitted and null mean "unchanged", except for urlNote, which null clears.
      const fields = Object.fromEntries(Object.entries({ ...rest, url: url?.toString() }).filter(([k, v]) => v != null || (k === "urlNote" && v === null)));
      return payload(() => ctx.services.articles.update(inputId("Article", articleId), fields, actor, ctx.signal));
    },
  },
  Article: {
    id: (article) => toGlobalId("Article", article.id),
    body: (article, _, ctx) => ctx.loaders.articleBody.load(article.id),
    claims: (article, { includeRetired }, ctx) =>
      (includeRetired ? ctx.loaders.articleClaimsWithRetired : ctx.loaders.articleClaims).load(article.id),
    events: (article, _, ctx) => ctx.loaders.articleEvents.load(article.id),
  },
  ArticleEventMention: {
    event: async (mention, _, ctx) => present(await ctx.loaders.event.load(mention.eventId), "event"),
  },
};
