/** Characters of context kept on each side of a quote, as in a W3C TextQuoteSelector. */
const CONTEXT = 32;

export type QuoteLocation = { start: number; end: number } | { error: "NOT_FOUND" | "AMBIGUOUS"; count: number };

/** Finds `exact` in `body`; it must occur exactly once, or highlighting would be a guess. */
export function locateQuote(body: string, exact: string): QuoteLocation {
  const first = body.indexOf(exact);
  if (exact.length === 0 || first < 0) return { error: "NOT_FOUND", count: 0 };
  let count = 0;
  for (let at = first; at >= 0; at = body.indexOf(exact, at + 1)) count++;
  if (count > 1) return { error: "AMBIGUOUS", count };
  return { start: first, end: first + exact.length };
}

export function quoteContext(body: string, start: number, end: number) {
  return {
    prefix: body.slice(Math.max(0, start - CONTEXT), start),
    suffix: body.slice(end, end + CONTEXT),
  };
}

/** Quotes are bucketed by their first PREFIX characters (shorter quotes by their whole length). */
const PREFIX = 16;
const HASH_BASE = 31;

/**
 * `locateQuote` for many quotes in one body, in time linear in the body (one rolling-hash pass per
 * distinct prefix length, at most PREFIX passes) rather than one full search of the body per quote.
 */
export function locateQuotes(body: string, quotes: readonly string[]): QuoteLocation[] {
  const first = new Int32Array(quotes.length).fill(-1);
  const count = new Int32Array(quotes.length);
  const byLength = new Map<number, Map<number, number[]>>();
  // Most windows match no quote: a bit per hash value (modulo 2^24) rules them out before the Map.
  const seen = new Uint8Array(1 << 21);
  quotes.forEach((quote, i) => {
    if (!quote.length) return;
    const k = Math.min(PREFIX, quote.length);
    const buckets = byLength.get(k) ?? byLength.set(k, new Map()).get(k)!;
    const h = hashOf(quote, k);
    seen[(h >>> 3) & 0x1fffff] |= 1 << (h & 7);
    const key = h & 0x3fffffff;
    (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(i);
  });
  for (const [k, buckets] of byLength) {
    if (body.length < k) continue;
    let top = 1; // HASH_BASE^(k-1), modulo 2^32: the weight of the character leaving the window
    for (let i = 1; i < k; i++) top = Math.imul(top, HASH_BASE);
    let h = hashOf(body, k);
    for (let at = 0; ; at++) {
      const candidates = seen[(h >>> 3) & 0x1fffff] & (1 << (h & 7)) ? buckets.get(h & 0x3fffffff) : undefined;
      if (candidates) {
        for (const i of candidates) {
          if (body.startsWith(quotes[i], at) && count[i]++ === 0) first[i] = at;
        }
      }
      if (at + k >= body.length) break;
      h = (Math.imul(h - Math.imul(body.charCodeAt(at), top), HASH_BASE) + body.charCodeAt(at + k)) | 0;
    }
  }
  return quotes.map((quote, i) => {
    if (count[i] === 0) return { error: "NOT_FOUND", count: 0 };
    if (count[i] > 1) return { error: "AMBIGUOUS", count: count[i] };
    return { start: first[i], end: first[i] + quote.length };
  });
}

/** Polynomial hash of s[0, k) modulo 2^32, as the rolling update computes it. */
function hashOf(s: string, k: number): number {
  let h = 0;
  for (let i = 0; i < k; i++) h = (Math.imul(h, HASH_BASE) + s.charCodeAt(i)) | 0;
  return h;
}
