import { EventEmitter, on } from "node:events";
import type { Database } from "../db/database";
import type { ClaimFilter, ClaimService } from "../claim/service";
import type { ClaimRow } from "../claim/sql";
import { MAX_PAGE_SIZE } from "../db/paging";
import { isUuid } from "../db/uuid";
import type { Logger } from "../logger";

/** Channel of the database trigger that announces every committed claim change (see its migration). */
export const CLAIMS_CHANNEL = "claimgraph_claims";

/**
 * The claim ids a notification names. Payloads are JSON objects that may grow other keys; anything
 * unexpected (no payload after a reconnect, another shape) names no claim.
 */
export function changedClaimIds(payload: string | undefined): string[] {
  if (!payload) return [];
  try {
    const claims = (JSON.parse(payload) as { claims?: unknown }).claims;
    return Array.isArray(claims) ? claims.filter((id): id is string => typeof id === "string" && isUuid(id)) : [];
  } catch {
    return [];
  }
}

/**
 * Turns claim-change notifications into per-subscription streams of claims. Subscriptions with the
 * same filter share one query per batch of changes; changes that arrive while a batch is being
 * matched are gathered into the next one.
 */
export class ClaimFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly filters = new Map<string, ClaimFilter>();
  private readonly pending = new Set<string>();
  private draining: Promise<void> | null = null;

  constructor(
    private readonly claims: ClaimService,
    private readonly log: Logger,
  ) {}

  async start(db: Pick<Database, "listen">): Promise<void> {
    await db.listen(CLAIMS_CHANNEL, { message: (payload) => this.notified(payload) });
  }

  /** Claims matching `filter` as they change, until the iterator is returned (the client unsubscribes). */
  watch(filter: ClaimFilter): AsyncIterableIterator<ClaimRow> {
    // A retirement is a change too, so retired claims are not filtered out.
    const watched = { ...filter, includeRetired: true };
    const key = JSON.stringify(watched);
    this.filters.set(key, watched);
    // Not an async generator: its return() would wait for the next event before unsubscribing.
    const events = on(this.emitter, key);
    return {
      next: async () => {
        const result = await events.next();
        return result.done ? { done: true, value: undefined } : { done: false, value: (result.value as [ClaimRow])[0] };
      },
      return: async () => {
        await events.return?.();
        if (this.emitter.listenerCount(key) === 0) this.filters.delete(key);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** How many subscriptions are watching (for readiness checks in tests and for logs). */
  get watchers(): number {
    let n = 0;
    for (const key of this.filters.keys()) n += this.emitter.listenerCount(key);
    return n;
  }

  private notified(payload: string | undefined) {
    if (this.filters.size === 0) return;
    for (const id of changedClaimIds(payload)) this.pending.add(id);
    if (this.pending.size) this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      const ids = [...this.pending].slice(0, MAX_PAGE_SIZE);
      for (const id of ids) this.pending.delete(id);
      for (const [key, filter] of this.filters) {
        if (this.emitter.listenerCount(key) === 0) {
          this.filters.delete(key);
          continue;
        }
        try {
          const page = await this.claims.list({ filter, first: ids.length, claimIds: ids });
          for (const claim of page.nodes) this.emitter.emit(key, claim);
        } catch (err) {
          this.log.warn({ err, filter }, "could not match changed claims to a subscription");
        }
      }
    }
  }
}
