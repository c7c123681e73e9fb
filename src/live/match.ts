import type { ClaimFilter } from "../claim/service";
import { normalizeName } from "../source/names";
import type { Change } from "./changeLog";

/**
 * A watch filter in normal form: two filters that select the same claims (an actor spelt in
 * another case, kinds repeated or in another order) have the same form, hence the same key, and are
 * matched once per change however many subscriptions share them.
 */
export interface WatchFilter {
  /** The actor as source names and aliases are stored (normalizeName), or null. */
  actor: string | null;
  /** Only meaningful with an actor, as in a claims list. */
  affiliated: boolean;
  sourceId: string | null;
  articleId: string | null;
  eventId: string | null;
  /** Sorted, without repeats; an empty list matches nothing, as in SQL. */
  kinds: string[] | null;
}

/** The normal form of a watch filter (IDs decoded, checked by ClaimService.checkFilter) and its key. */
export function normalizeWatch(filter: ClaimFilter): { filter: WatchFilter; key: string } {
  const actor = filter.actor != null ? normalizeName(filter.actor) : null;
  const normal: WatchFilter = {
    actor,
    affiliated: actor !== null && (filter.includeAffiliated ?? false),
    // uuids compare as text here, in any case in SQL.
    sourceId: filter.sourceId?.toLowerCase() ?? null,
    articleId: filter.articleId?.toLowerCase() ?? null,
    eventId: filter.eventId?.toLowerCase() ?? null,
    kinds: filter.kind ? [...new Set(filter.kind)].sort() : null,
  };
  return { filter: normal, key: JSON.stringify(normal) };
}

/**
 * Whether a changed claim matches a watch filter, exactly as the claims list's SQL decides it
 * (filterSql with the sources resolveActor names; retired claims included): an actor names the
 * sources whose slug is the actor with dashes for spaces or that have it as an alias, and with
 * `affiliated` everyone affiliated with them, transitively — so a claim matches when its own source,
 * or with `affiliated` any source up its affiliation chain, is so named. test/liveMatch.test.ts
 * checks this against the SQL on random filters.
 */
export function matches(filter: WatchFilter, change: Change): boolean {
  const claim = change.claim;
  if (!claim) return false;
  if (filter.sourceId !== null && claim.sourceId !== filter.sourceId) return false;
  if (filter.articleId !== null && claim.articleId !== filter.articleId) return false;
  if (filter.eventId !== null && !change.eventIds.includes(filter.eventId)) return false;
  if (filter.kinds !== null && !filter.kinds.includes(claim.kind)) return false;
  if (filter.actor !== null) {
    const key = filter.actor;
    const slug = key.replace(/\s+/g, "-");
    const named = change.sources.some((s) => (s.self || filter.affiliated) && (s.slug === slug || s.aliases.includes(key)));
    if (!named) return false;
  }
  return true;
}
