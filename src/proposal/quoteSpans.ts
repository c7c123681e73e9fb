import type { QuoteSpan } from "./text";

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
