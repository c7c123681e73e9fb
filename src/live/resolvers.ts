import { GraphQLError } from "graphql";
import { roleAllows } from "../auth/service";
import { databaseTrouble } from "../db/errors";
import { sheddableRequest } from "../db/pool";
import { troubleError } from "../graphql/databaseErrors";
import { claimFilter } from "../claim/resolvers";
import type { ClaimFilter } from "../claim/service";
import type { ClaimRow } from "../claim/sql";
import type { Resolvers } from "../generated/graphql";
import type { Context } from "../graphql/context";
import { expectId } from "../graphql/globalId";
import { decodeCursor, encodeCursor } from "./changeLog";
import type { LiveEvent } from "./feed";

/** Claims matching a filter (its IDs decoded, so bad ones have failed already) as they change, after a cursor if given. */
async function watch(ctx: Context, filter: ClaimFilter, after: string | null | undefined): Promise<AsyncIterable<LiveEvent>> {
  // HTTP requests never get here (the server refuses subscriptions over HTTP); WebSocket ones carry the feed.
  if (!ctx.feed || !ctx.live) throw new GraphQLError("subscriptions are served over WebSocket at /graphql", { extensions: { code: "BAD_REQUEST" } });
  const position = after == null ? null : decodeCursor(after);
  // An empty filter value fails now, as BAD_USER_INPUT, not later on every change. The check reads
  // the database: like an HTTP read, it is shed when the pool is saturated unless an editor's key
  // sent it, and a full pool or a database that is down is its code (503's), not an unexpected error.
  const sheddable = !(ctx.apiKey && roleAllows(ctx.apiKey.role, "EDITOR"));
  try {
    await sheddableRequest.run(sheddable, () => ctx.services.claims.checkFilter(filter));
  } catch (err) {
    const trouble = databaseTrouble(err);
    throw trouble ? troubleError(trouble) : err;
  }
  return ctx.feed.watch(filter, position, ctx.live.budget);
}

/**
 * Each event is a new execution with its batch's loaders: never rows cached for an earlier batch. The
 * event's cursor goes to the result's `extensions` (src/http/live.ts), read from the context: a
 * subscription's events are executed one after another.
 */
function fresh(event: LiveEvent, ctx: Context): ClaimRow {
  // The key was checked at connection_init; one revoked since reads from now on as a revoked key
  // does over HTTP: anonymously (no rationale, no key names).
  if (ctx.apiKey && !ctx.services.apiKeys.stillActive(ctx.apiKey)) {
    ctx.apiKey = null;
    ctx.credentialProblem = "REVOKED";
  }
  ctx.loaders = event.loaders;
  ctx.live!.cursor = event.cursor;
  return event.claim;
}

export const liveResolvers: Resolvers = {
  Query: {
    liveCursor: async (_, _args, ctx) => encodeCursor(await ctx.services.changes.head()),
  },
  Subscription: {
    claimChanged: {
      subscribe: (_, { filter, after }, ctx) => watch(ctx, { ...claimFilter(filter) }, after),
      resolve: (event: LiveEvent, _args: unknown, ctx: Context) => fresh(event, ctx),
    },
    articleClaimsChanged: {
      subscribe: (_, { articleId, after }, ctx) => watch(ctx, { articleId: expectId("Article", articleId, "articleId") }, after),
      resolve: (event: LiveEvent, _args: unknown, ctx: Context) => fresh(event, ctx),
    },
  },
};
