import DataLoader from "dataloader";
import type { ClaimProjection } from "../claim/projection";
import type { ClaimConnection, ClaimService, NestedClaimArgs, NestedParent } from "../claim/service";
import type { Services } from "../services";

/** One row per key (null when missing), from a batch fetch of rows carrying an `id`. */
function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** All rows per key, in the order the batch fetch returned them. */
function groupedBy<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch(keys)) {
      const key = keyOf(row);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/**
 * Claim lists nested under a list of parents (each source's or event's claims): the parents of one
 * field with the same arguments and selection are read in one statement.
 */
class NestedClaimPages {
  private readonly batches = new Map<ClaimProjection, Map<string, DataLoader<string, ClaimConnection>>>();

  constructor(private readonly claims: ClaimService) {}

  load(parent: NestedParent, parentId: string, args: NestedClaimArgs, projection: ClaimProjection): Promise<ClaimConnection> {
    let byArgs = this.batches.get(projection);
    if (!byArgs) this.batches.set(projection, (byArgs = new Map()));
    const key = JSON.stringify([parent, args.status, args.includeRetired, args.linkType, args.first, args.after]);
    let loader = byArgs.get(key);
    if (!loader) {
      loader = new DataLoader((ids) => this.claims.pagesFor({ parent, parentIds: ids, args, projection }));
      byArgs.set(key, loader);
    }
    return loader.load(parentId);
  }
}

const factories = {
  article: ({ articles }: Services) => byId((ids) => articles.byIds(ids)),
  articleBody: ({ articles }: Services) =>
    new DataLoader<string, string>(async (ids) => {
      const bodies = new Map((await articles.bodies(ids)).map((a) => [a.id, a.body]));
      return ids.map((id) => bodies.get(id) ?? new Error(`article ${id} has no body`));
    }),
  claim: ({ claims }: Services) => byId((ids) => claims.byIds(ids)),
  event: ({ events }: Services) => byId((ids) => events.byIds(ids)),
  source: ({ sources }: Services) => byId((ids) => sources.byIds(ids)),
  verdictChange: ({ claims }: Services) => byId((ids) => claims.verdictChangesByIds(ids)),
  sourceAliases: ({ sources }: Services) =>
    new DataLoader<string, string[]>(async (ids) => {
      const aliases = await sources.aliasesFor(ids);
      return ids.map((id) => aliases.get(id) ?? []);
    }),
  sourceMembers: ({ sources }: Services) => groupedBy((ids) => sources.membersOf(ids), (s) => s.affiliationId!),
  claimHistory: ({ claims }: Services) => groupedBy((ids) => claims.historyFor(ids), (v) => v.claimId),
  claimEvents: ({ claims }: Services) => groupedBy((ids) => claims.eventLinksFor(ids), (l) => l.claimId),
  nestedClaims: ({ claims }: Services) => new NestedClaimPages(claims),
  articleClaims: ({ claims }: Services) => groupedBy((ids) => claims.byArticle(ids, false), (c) => c.articleId),
  articleClaimsWithRetired: ({ claims }: Services) => groupedBy((ids) => claims.byArticle(ids, true), (c) => c.articleId),
  articleEvents: ({ articles }: Services) => groupedBy((ids) => articles.mentionsFor(ids), (m) => m.articleId),
  eventMentions: ({ events }: Services) => groupedBy((ids) => events.mentionsFor(ids), (m) => m.eventId),
  eventParticipants: ({ events }: Services) => groupedBy((ids) => events.participantsFor(ids), (p) => p.eventId),
};

export type Loaders = { readonly [K in keyof typeof factories]: ReturnType<(typeof factories)[K]> };

// Each loader is built on first use: most requests touch one or two of them, if any.
class LazyLoaders {
  constructor(readonly services: Services) {}
}
for (const [name, make] of Object.entries(factories)) {
  Object.defineProperty(LazyLoaders.prototype, name, {
    get(this: LazyLoaders) {
      const loader = make(this.services);
      Object.defineProperty(this, name, { value: loader });
      return loader;
    },
  });
}

/** Per-request batching: each nested field costs one query per page, not one per row. */
export function createLoaders(services: Services): Loaders {
  return new LazyLoaders(services) as unknown as Loaders;
}
