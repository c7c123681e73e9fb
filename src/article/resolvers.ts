import type { GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";
import type { Resolvers } from "../generated/graphql";
import { requireRole } from "../auth/credentials";
import { payload } from "../graphql/errors";
import { badInput } from "../validation/badInput";
import { decodeFilter, idOf, inputId, toGlobalId } from "../graphql/globalId";
import { present } from "../graphql/present";
import { plainListValue } from "../graphql/listedItems";
import type { Context } from "../graphql/context";
import { selectsField } from "../graphql/selection";
import type { ArticlePage, ArticlePageParts } from "./page";

/**
 * What of an article's page the client selected, when it selects a list (claims or events) whose
 * rows are worth reading with the article; null otherwise. The claims read are those of the first
 * `claims` selected (another with other arguments is loaded apart); the body is read with the claims
 * too, since their quotes are cut from it.
 */
function articlePageParts(info: GraphQLResolveInfo): ArticlePageParts | null {
  const mentions = selectsField(info, "Article", "events");
  if (!selectsField(info, "Article", "claims") && !mentions) return null;
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const claims = Object.values(tree?.fieldsByTypeName.Article ?? {}).find((field) => field.name === "claims");
  return {
    body: Boolean(claims) || selectsField(info, "Article", "body"),
    claims: claims ? (claims.args.includeRetired ? "withRetired" : "current") : false,
    mentions,
  };
}

function primeArticlePage(ctx: Context, { article, body, claims, mentions, events }: ArticlePage, parts: ArticlePageParts) {
  ctx.loaders.article.prime(article.id, article);
  if (body !== null) ctx.loaders.articleBody.prime(article.id, body);
  if (parts.claims) (parts.claims === "withRetired" ? ctx.loaders.articleClaimsWithRetired : ctx.loaders.articleClaims).prime(article.id, plainListValue("Article.claims", claims));
  if (parts.mentions) {
    ctx.loaders.articleEvents.prime(article.id, plainListValue("Article.events", mentions));
    for (const event of events) ctx.loaders.event.prime(event.id, event);
  }
}

export const articleResolvers: Resolvers = {
  Query: {
    article: (_, { id, slug, url }, ctx, info) => {
      if ([id, slug, url].filter((v) => v != null).length !== 1) throw badInput("give exactly one of id, slug and url");
      const articleId = id != null ? idOf("Article", id) : null;
      if (id != null && !articleId) return null;
      const parts = articlePageParts(info);
      if (parts) {
        // An article page: the article and its lists in one round trip, handed to the loaders that serve them.
        return ctx.services.articles.page({ id: articleId, slug, url: url?.toString() }, parts).then((page) => {
          if (!page) return null;
          primeArticlePage(ctx, page, parts);
          return page.article;
        });
      }
      return articleId ? ctx.loaders.article.load(articleId) : ctx.services.articles.find({ slug, url: url?.toString() });
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
    claims: (article, { includeRetired }, ctx) => (includeRetired ? ctx.loaders.articleClaimsWithRetired : ctx.loaders.articleClaims).load(article.id),
    events: (article, _, ctx) => ctx.loaders.articleEvents.load(article.id),
  },
  ArticleEventMention: {
    event: async (mention, _, ctx) => present(await ctx.loaders.event.load(mention.eventId), "event"),
  },
};
