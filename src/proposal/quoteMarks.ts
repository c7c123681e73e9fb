// Quotation marks in news copy: where a paragraph's quotations open and close, whatever marks the copy used.

export interface QuoteSpan {
  /** Offset of the opening mark, and of the closing one (the paragraph's end when unclosed). */
  open: number;
  close: number;
  paragraph: number;
  /** Carried over from the paragraph before without a new opening mark. */
  continued?: boolean;
  /** Still open at the paragraph's end. */
  unclosed?: boolean;
}

export const OPENING = new Set(["“", "«", "„"]);
export const CLOSING = new Set(["”", "»"]);

/**
 * Finds spans in double quotation marks, curly or straight (mixed pairs too, as real copy has them,
 * and a closing curly mark used to open). A quotation left open at the end of a paragraph runs on
 * into the next (`carried`), which either re-opens it with a mark, as is the convention, or carries
 * on unmarked until a closing mark.
 */
export function findQuotes(paragraph: string, offset: number, index: number, carried = false): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let open: number | null = null;
  // British copy quotes in single marks (‘…’): a ‘ opens one, and a ’ closes it only where it is not an
  // apostrophe (not before a letter: "don’t", "Trump’s"). Marks of the other kind inside a quotation are nested.
  let single = false;
  const lead = /^\s*/.exec(paragraph)![0].length;
  if (carried && !OPENING.has(paragraph[lead]) && !CLOSING.has(paragraph[lead]) && paragraph[lead] !== '"' && paragraph[lead] !== "‘") open = -1;
  // "Taxes will rise,” Smith said.": the copy dropped the opening mark; the quotation runs from the paragraph's start.
  const droppedAt = open === null ? droppedOpening(paragraph, lead) : -1;
  const dropped = droppedAt >= 0;
  if (dropped) open = droppedAt - 1;
  for (let i = 0; i < paragraph.length; i++) {
    const c = paragraph[i];
    if (open === null && (OPENING.has(c) || CLOSING.has(c) || c === '"' || c === "‘")) [open, single] = [i, c === "‘"];
    // ("’’", two single marks, closes a double quotation in some copy: "“That is the law,’’ he added.")
    else if (open !== null && (single ? c === "’" && !/\p{L}/u.test(paragraph[i + 1] ?? "") : CLOSING.has(c) || c === '"' || (c === "’" && paragraph[i + 1] === "’"))) {
      spans.push({ open: offset + open, close: offset + i, paragraph: index, continued: open < 0 && !dropped });
      open = null;
    }
  }
  if (open !== null && paragraph.length - open > 1) {
    spans.push({ open: offset + open, close: offset + paragraph.length, paragraph: index, continued: open < 0, unclosed: true });
  }
  return spans;
}

/**
 * Where a quotation whose opening mark the copy lost starts, or -1: a paragraph's first double mark closes one when it is
 * a curly closing mark, or the odd one of its straight marks, after a letter or punctuation (not a digit: 12" is inches)
 * and before a space ("…people,” she said"). It starts at the last sentence before the mark: the reporter's sentences
 * before that are not the speaker's ("The jury convicted Hale. This is a travesty,” his lawyer said").
 */
function droppedOpening(paragraph: string, lead: number): number {
  const first = paragraph.search(/[“”«»„"]/);
  if (first <= lead || (paragraph[first] !== "”" && paragraph[first] !== '"')) return -1;
  if (!/[\p{L},.!?…]/u.test(paragraph[first - 1]) || /\S/.test(paragraph[first + 1] ?? " ")) return -1;
  if (paragraph[first] === '"' && paragraph.split('"').length % 2 !== 0) return -1;
  let start = lead;
  for (const m of paragraph.slice(0, first - 1).matchAll(/[.!?]\s+(?=\p{Lu})/gu)) start = m.index + m[0].length;
  return start;
}
