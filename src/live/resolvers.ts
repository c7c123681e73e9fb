import { GraphQLError } from "graphql";
import { claimFilter } from "../claim/resolvers";
import type { ClaimFilter } from "../claim/service";
import type { ClaimRow } from "../claim/sql";
import type { Resolvers } from "../generated/graphql";
import type { Context } from "../graphql/context";
import { expectId } from "../graphql/globalId";

/** Claims matching a filter (its IDs decoded, so bad ones have failed already) as they change. */
async function watch(ctx: Context, filter: ClaimFilter): Promise<AsyncIterable<ClaimRow>> {
  // HTTP requests never get here (the server refuses subscriptions over HTTP); WebSocket ones carry the feed.
  if (!ctx.feed) throw new GraphQLError("subscriptions are served over WebSocket at /graphql", { extensions: { code: "BAD_REQUEST" } });
  // An empty filter value fails now, as BAD_USER_INPUT, not later on every change.
  await ctx.services.claims.checkFilter(filter);
  return ctx.feed.watch(filter);
}

/** Each event is a new execution: loaders must not serve rows cached for an earlier event. */
function fresh(claim: ClaimRow, ctx: Context): ClaimRow {
  if (ctx.newLoaders) ctx.loaders = ctx.newLoaders();
  return claim;
}

export const liveResolvers: Resolvers = {
  Subscription: {
    claimChanged: {
      subscribe: (_, { filter }, ctx) => watch(ctx, { ...claimFilter(filter) }),
      resolve: (claim: ClaimRow, _args: unknown, ctx: Context) => fresh(claim, ctx),
    },
    articleClaimsChanged: {
      subscribe: (_, { articleId }, ctx) => watch(ctx, { articleId: expectId("Article", articleId, "articleId") }),
      resolve: (claim: ClaimRow, _args: unknown, ctx: Context) => fresh(claim, ctx),
    },
  },
};
