import search from "approx-string-match";
import type { AnchoringState } from "../generated/prisma/client";
import { quoteContext } from "../claim/quote";

/**
 * Re-locating a claim's quote after its article's body changed, from a W3C-style text-quote
 * selector (exact words, prefix, suffix) plus the old position, in the manner of Hypothesis:
 * a unique verbatim match is EXACT; otherwise the best approximate match (Myers' bit-parallel
 * search from approx-string-match) is scored on the quote, its context and its position, and
 * kept as FUZZY only above a threshold; below it the quote is ORPHANED rather than highlighted
 * in the wrong place.
 */
export interface QuoteSelector {
  exact: string;
  prefix: string;
  suffix: string;
  /** Where the quote was before the change: only breaks ties between equally good matches. */
  start: number;
}

export type Anchor =
  | { state: "EXACT" | "FUZZY"; start: number; end: number; score: number }
  | { state: "ORPHANED"; score: null };

/** At most this share of the quote's characters may differ in a fuzzy match. */
export const MAX_QUOTE_ERROR_RATE = 0.2;
/** Minimum combined score (quote 60%, prefix 20%, suffix 20%) for a fuzzy match to be kept. */
export const FUZZY_THRESHOLD = 0.75;

const WEIGHTS = { quote: 0.6, prefix: 0.2, suffix: 0.2 };

/**
 * Approximate matching costs about body length × ⌈quote length / 32⌉ word steps (Myers' algorithm,
 * 32 pattern characters per step): a 28,000-character quote in a 60,000-character body took a second,
 * and 70 of them a minute. Quotes longer than this are matched verbatim only (EXACT, or ORPHANED when
 * a correction touched them) …
 */
export const MAX_FUZZY_QUOTE_CHARS = 1_000;
/** … and one re-anchoring spends at most this many steps on approximate matching (about 50 quotes of
 * the longest fuzzy length in the longest body); quotes past it, in reading order, are matched verbatim only. */
export const FUZZY_WORK_BUDGET = 100_000_000;

/** The approximate-matching steps a quote would cost in a body. */
export function fuzzyWork(bodyLength: number, quoteLength: number): number {
  return bodyLength * Math.ceil(quoteLength / 32);
}

/** Re-anchors every selector against one body, within MAX_FUZZY_QUOTE_CHARS and FUZZY_WORK_BUDGET (runs in a CPU pool worker: reanchorClaims.ts). */
export function reanchorAll(body: string, selectors: QuoteSelector[]): Anchor[] {
  let budget = FUZZY_WORK_BUDGET;
  return selectors.map((selector) => {
    const work = fuzzyWork(body.length, selector.exact.length);
    const fuzzy = selector.exact.length <= MAX_FUZZY_QUOTE_CHARS && work <= budget;
    const anchor = reanchor(body, selector, fuzzy);
    // Only a quote that was not found verbatim exactly once spent the approximate search.
    if (fuzzy && anchor.state !== "EXACT") budget -= work;
    return anchor;
  });
}

/** Re-anchors one quote; without `fuzzy`, only its verbatim occurrences are candidates. */
export function reanchor(body: string, selector: QuoteSelector, fuzzy = true): Anchor {
  const { exact } = selector;
  if (!exact) return { state: "ORPHANED", score: null };
  const first = body.indexOf(exact);
  if (first >= 0 && body.indexOf(exact, first + 1) < 0) {
    return { state: "EXACT", start: first, end: first + exact.length, score: 1 };
  }
  // Several verbatim matches, or none: let the context and the old position decide.
  const maxErrors = Math.floor(exact.length * MAX_QUOTE_ERROR_RATE);
  const candidates = fuzzy ? search(body, exact, maxErrors) : verbatim(body, exact);
  let best: { start: number; end: number; score: number; distance: number } | null = null;
  for (const match of candidates) {
    const quote = 1 - match.errors / exact.length;
    const score =
      WEIGHTS.quote * quote +
      WEIGHTS.prefix * similarity(body.slice(Math.max(0, match.start - selector.prefix.length), match.start), selector.prefix) +
      WEIGHTS.suffix * similarity(body.slice(match.end, match.end + selector.suffix.length), selector.suffix);
    const distance = Math.abs(match.start - selector.start);
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) <= 1e-9 && distance < best.distance)) {
      best = { start: match.start, end: match.end, score, distance };
    }
  }
  if (!best || best.score < FUZZY_THRESHOLD) return { state: "ORPHANED", score: null };
  return { state: "FUZZY", start: best.start, end: best.end, score: Math.round(best.score * 1000) / 1000 };
}

/** Every verbatim occurrence of a quote (overlapping ones included), as zero-error matches. */
function verbatim(body: string, exact: string) {
  const matches: { start: number; end: number; errors: number }[] = [];
  for (let at = body.indexOf(exact); at >= 0; at = body.indexOf(exact, at + 1)) matches.push({ start: at, end: at + exact.length, errors: 0 });
  return matches;
}

/** 1 for identical strings, falling with the edit distance (an empty selector side agrees with anything). */
function similarity(actual: string, expected: string): number {
  if (!expected) return 1;
  if (!actual) return 0;
  const [match] = search(actual, expected, expected.length);
  // A substring search lets `expected` skip the ends of `actual`; count the skipped length as errors too.
  const errors = match ? match.errors + Math.max(0, actual.length - (match.end - match.start)) : expected.length;
  return Math.max(0, 1 - errors / Math.max(expected.length, actual.length));
}

/** The stored selector fields for a quote found at start..end of body. */
export function selectorAt(body: string, start: number, end: number) {
  const { prefix, suffix } = quoteContext(body, start, end);
  return { quoteStart: start, quoteEnd: end, quoteExact: body.slice(start, end), quotePrefix: prefix, quoteSuffix: suffix };
}

/** The claim columns a quote view reads. */
export interface AnchoredQuote {
  quoteStart: number;
  quoteEnd: number;
  quoteExact: string;
  quotePrefix: string;
  quoteSuffix: string;
  anchoring: AnchoringState;
  anchorScore: number | null;
}

/** What the API shows of a quote: offsets into the current body, or none for an orphan (never a wrong highlight). */
export function quoteView(quote: AnchoredQuote, body: string) {
  if (quote.anchoring === "ORPHANED") {
    return { start: null, end: null, exact: quote.quoteExact, prefix: quote.quotePrefix, suffix: quote.quoteSuffix, anchoring: quote.anchoring, anchorScore: null };
  }
  return {
    start: quote.quoteStart,
    end: quote.quoteEnd,
    exact: body.slice(quote.quoteStart, quote.quoteEnd),
    ...quoteContext(body, quote.quoteStart, quote.quoteEnd),
    anchoring: quote.anchoring,
    anchorScore: quote.anchoring === "EXACT" ? 1 : quote.anchorScore,
  };
}
