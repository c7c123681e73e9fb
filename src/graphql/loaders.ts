import DataLoader from "dataloader";
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

/** Per-request batching: each nested field costs one query per page, not one per row. */
export function createLoaders(services: Services) {
  const { articles, claims, events, sources } = services;
  return {
    article: byId((ids) => articles.byIds(ids)),
    articleBody: new DataLoader<string, string>(async (ids) => {
      const bodies = new Map((await articles.bodies(ids)).map((a) => [a.id, a.body]));
      return ids.map((id) => bodies.get(id) ?? new Error(`article ${id} has no body`));
    }),
    claim: byId((ids) => claims.byIds(ids)),
    event: byId((ids) => events.byIds(ids)),
    source: byId((ids) => sources.byIds(ids)),
    verdictChange: byId((ids) => claims.verdictChangesByIds(ids)),
    sourceAliases: new DataLoader<string, string[]>(async (ids) => {
      const aliases = await sources.aliasesFor(ids);
      return ids.map((id) => aliases.get(id) ?? []);
    }),
    sourceMembers: groupedBy((ids) => sources.membersOf(ids), (s) => s.affiliationId!),
    claimHistory: groupedBy((ids) => claims.historyFor(ids), (v) => v.claimId),
    claimEvents: groupedBy((ids) => claims.eventLinksFor(ids), (l) => l.claimId),
    articleClaims: groupedBy((ids) => claims.byArticle(ids, false), (c) => c.articleId),
    articleClaimsWithRetired: groupedBy((ids) => claims.byArticle(ids, true), (c) => c.articleId),
    articleEvents: groupedBy((ids) => articles.mentionsFor(ids), (m) => m.articleId),
    eventMentions: groupedBy((ids) => events.mentionsFor(ids), (m) => m.eventId),
    eventParticipants: groupedBy((ids) => events.participantsFor(ids), (p) => p.eventId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
