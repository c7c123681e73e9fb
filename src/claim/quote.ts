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
