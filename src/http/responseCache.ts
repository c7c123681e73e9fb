import type { IncomingMessage } from "node:http";
import { LRUCache } from "lru-cache";

interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

const MAX_AGE = /(?:^|,)\s*max-age=(\d+)/;

/**
 * Whole-response cache for anonymous reads, in front of Apollo: a hit skips parsing, validation and
 * execution. Entries live as long as Apollo's cache policy says (per-type @cacheControl hints) and
 * are all dropped on any write, here or — through PostgreSQL NOTIFY — on any other replica.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, CachedResponse>;
  /** Bumped by every invalidation; a response computed across one is not stored. */
  generation = 0;
  /** False while writes could go unheard (the listen connection is down): nothing is served or stored. */
  private trusted = true;

  constructor(maxBytes: number) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (r) => r.body.length + 200 });
  }

  /** Only anonymous GraphQL reads are shared; everything that can change the answer is in the key. */
  keyFor(req: IncomingMessage, body: string): string | null {
    if (req.headers.authorization || (req.method !== "GET" && req.method !== "POST")) return null;
    const h = req.headers;
    return [req.method, req.url, h["content-type"], h.accept, h["apollo-require-preflight"], h["x-apollo-operation-name"], body].join("\n");
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
