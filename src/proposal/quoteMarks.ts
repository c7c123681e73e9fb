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
  const dropped = open === null && droppedOpening(paragraph, lead);
  if (dropped) open = lead - 1;
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
 * Whether a paragraph's first double mark closes a quotation whose opening mark the copy lost: a curly closing mark, or
 * the odd one of its straight marks, after a word or its punctuation and before a space ("…people,” she said").
 */
function droppedOpening(paragraph: string, lead: number): boolean {
  const first = paragraph.search(/[“”«»„"]/);
  if (first <= lead || (paragraph[first] !== "”" && paragraph[first] !== '"')) return false;
  if (!/[\p{L}\p{N},.!?…]/u.test(paragraph[first - 1]) || /\S/.test(paragraph[first + 1] ?? " ")) return false;
  return paragraph[first] === "”" || paragraph.split('"').length % 2 === 0;
}
