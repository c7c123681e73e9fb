import { lowerBound, type QuoteSpan, type Token, type Unit } from "./text";

/** Where a quotation's words lie in the body, and how it stands in its sentence. */

/** The words inside the marks, without surrounding spaces and the comma that hands over to the attribution. */
export function innerSpan(body: string, quote: QuoteSpan): { start: number; end: number; text: string } | null {
  let start = quote.open + 1;
  let end = quote.close;
  while (start < end && /\s/.test(body[start])) start++;
  while (end > start && /[\s,]/.test(body[end - 1])) end--;
  return end > start ? { start, end, text: body.slice(start, end) } : null;
}

/** A quotation that runs on inside the reporter's sentence, rather than opening it or following a colon or comma. */
export function embedded(body: string, quote: QuoteSpan): boolean {
  if (quote.continued) return false;
  let i = quote.open - 1;
  while (i >= 0 && body[i] === " ") i--;
  return i >= 0 && /[\p{L}\p{N}’']/u.test(body[i]);
}

/**
 * "The North America unit, which includes the U.S., “was a little lighter than we expected,” X said": a quotation going on
 * with the reporter's sentence in lower case after a comma, with no verb of saying before it, is a partial quotation.
 */
export function predicateQuote(body: string, tokens: Token[], unit: Unit, quote: QuoteSpan, saying: (t: Token) => boolean): boolean {
  if (quote.continued || !/,\s*$/.test(body.slice(Math.max(0, quote.open - 3), quote.open)) || !/^\p{Ll}/u.test(body.slice(quote.open + 1, quote.open + 2))) return false;
  const from = previousQuoteClose(tokens, unit, quote);
  const before = tokens.slice(unit.first, unit.last + 1).filter((t) => t.start > from && t.end <= quote.open && !t.quoted);
  return before.length >= 2 && !before.some(saying);
}

/** Where the sentence's next quotation opens (or just past the sentence's end). */
export function nextQuoteOpen(tokens: Token[], unit: Unit, quote: QuoteSpan): number {
  return unit.quotes.find((q) => q.open > quote.open)?.open ?? tokens[unit.last].end + 1;
}

/** Where the sentence's previous quotation closes (or just before the sentence's start). */
export function previousQuoteClose(tokens: Token[], unit: Unit, quote: QuoteSpan): number {
  return unit.quotes.filter((q) => q.open < quote.open).at(-1)?.close ?? tokens[unit.first].start - 1;
}

/** Whether the quotation opens its paragraph (or carries on one left open). */
export function opensParagraph(tokens: Token[], quote: QuoteSpan): boolean {
  if (quote.continued) return true;
  const first = tokens[lowerBound(tokens, (t) => t.paragraph >= quote.paragraph)];
  return Boolean(first && first.paragraph === quote.paragraph && first.start > quote.open);
}
