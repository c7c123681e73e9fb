import { LRUCache } from "lru-cache";

interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

const MAX_AGE = /(?:^|,)\s*max-age=(\d+)/;

/**
 * What an entry is charged beyond its strings: the LRU's node and indexes, the response object and
 * its header arrays. Strings are charged two bytes per character, V8's widest representation.
 */
const ENTRY_OVERHEAD_BYTES = 512;

function entryBytes(key: string, response: CachedResponse): number {
  let chars = key.length + response.body.length;
  for (const [name, value] of response.headers) chars += name.length + value.length;
  return ENTRY_OVERHEAD_BYTES + 2 * chars;
}

/**
 * Whole-response cache for anonymous reads, in front of Apollo: a hit skips parsing, validation and
 * execution. Entries live as long as Apollo's cache policy says (per-type @cacheControl hints) and
 * are all dropped on any write, here or — through PostgreSQL NOTIFY — on any other replica. Every
 * byte an entry holds, its key included, counts against the cap (keys are digests: see cacheKey.ts).
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, CachedResponse>;
  /** Bumped by every invalidation; a response computed across one is not stored. */
  generation = 0;
  /** False while writes could go unheard (the listen connection is down): nothing is served or stored. */
  private trusted = true;

  constructor(maxBytes: number) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (response, key) => entryBytes(key, response) });
  }

  /** Bytes the entries are charged, never more than the cap. */
  get size(): number {
    return this.entries.calculatedSize;
  }

  get(key: string): CachedResponse | undefined {
    return this.trusted ? this.entries.get(key) : undefined;
  }

  /** Stores a successful public response for the max-age Apollo computed, if it did not span a write. */
  offer(key: string, response: CachedResponse, generation: number) {
    if (generation !== this.generation || !this.trusted || response.status !== 200) return;
    const cacheControl = response.headers.find(([name]) => name === "cache-control")?.[1] ?? "";
    const maxAge = Number(MAX_AGE.exec(cacheControl)?.[1] ?? 0);
    if (maxAge <= 0 || !/public/.test(cacheControl) || response.body.includes('"errors"')) return;
    this.entries.set(key, response, { ttl: maxAge * 1000 });
  }

  invalidate() {
    this.generation++;
    this.entries.clear();
  }

  /** Subscriber of the writes channel: any write drops everything; so does a gap in listening. */
  readonly listener = {
    message: () => this.invalidate(),
    lost: () => {
      this.trusted = false;
      this.invalidate();
    },
    resumed: () => {
      this.invalidate();
      this.trusted = true;
    },
  };
}
