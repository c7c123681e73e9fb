import type Compromise from "compromise";
import { normalizeName } from "../source/names";

/**
 * The article body as the extractor sees it: compromise's sentences and part-of-speech-tagged
 * tokens, with offsets into the original body, and the spans in quotation marks.
 */
export interface Token {
  index: number;
  start: number;
  end: number;
  text: string;
  /** Matching key: lower case, apostrophes straightened, no full stops ("U.S." → "us"), possessive 's dropped. */
  key: string;
  /** compromise's root form (said → say), lower case. */
  lemma: string;
  tags: Set<string>;
  /** Punctuation compromise attached before and after the word. */
  pre: string;
  post: string;
  paragraph: number;
  /** Inside quotation marks. */
  quoted: boolean;
}

export interface QuoteSpan {
  /** Offset of the opening mark, and of the closing one (the paragraph's end when unclosed). */
  open: number;
  close: number;
  paragraph: number;
}

/** A sentence, with sentences that a quotation crosses merged into one. */
export interface Unit {
  paragraph: number;
  /** Token index range [first, last]. */
  first: number;
  last: number;
  quotes: QuoteSpan[];
}

export interface AnalysedText {
  body: string;
  tokens: Token[];
  units: Unit[];
  quotes: QuoteSpan[];
}

// compromise takes a moment to load its lexicon: only when an article is analysed, not at every start.
let nlp: typeof Compromise | undefined;
function compromise(): typeof Compromise {
  return (nlp ??= require("compromise") as typeof Compromise);
}

const OPENING = new Set(["“", "«", "„"]);
const CLOSING = new Set(["”", "»"]);

/** Finds spans in double quotation marks, curly or straight (mixed pairs too, as real copy has them). */
export function findQuotes(paragraph: string, offset: number, index: number): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let open = -1;
  for (let i = 0; i < paragraph.length; i++) {
    const c = paragraph[i];
    if (open < 0 && (OPENING.has(c) || c === '"')) open = i;
    else if (open >= 0 && (CLOSING.has(c) || c === '"')) {
      spans.push({ open: offset + open, close: offset + i, paragraph: index });
      open = -1;
    }
  }
  // A quotation running on into the next paragraph leaves this one unclosed.
  if (open >= 0 && paragraph.length - open > 1) spans.push({ open: offset + open, close: offset + paragraph.length, paragraph: index });
  return spans;
}

export function analyse(body: string): AnalysedText {
  const tokens: Token[] = [];
  const units: Unit[] = [];
  const quotes: QuoteSpan[] = [];
  // A blank line ends a paragraph. The look-ahead scans spaces and tabs only: `\s*\n` re-read a whole
  // run of blank lines at each newline, quadratic on a body of "\n \n \n …".
  const paragraphs = [...body.matchAll(/[^\n]+(?:\n(?![^\S\n]*\n)[^\n]*)*/g)];
  paragraphs.forEach((match, p) => {
    const offset = match.index!;
    const text = match[0];
    const paragraphQuotes = findQuotes(text, offset, p);
    quotes.push(...paragraphQuotes);
    // compromise glues words joined by a dash ("objections—and"); a space of the same length keeps offsets.
    const doc = compromise()(text.replace(/[\u2014\u2015]|(?<=\s)\u2013(?=\s)/g, " "));
    doc.compute("root");
    const sentences = doc.json({ offset: true, terms: { offset: true } }) as {
      terms: { text: string; normal: string; root?: string; pre: string; post: string; tags: string[]; offset: { start: number; length: number } }[];
    }[];
    const sentenceRanges: [number, number][] = [];
    for (const sentence of sentences) {
      const first = tokens.length;
      for (const term of sentence.terms) {
        const start = offset + term.offset.start;
        const end = start + term.offset.length;
        const key = matchKey(body.slice(start, end));
        tokens.push({
          index: tokens.length,
          start,
          end,
          text: body.slice(start, end),
          key,
          lemma: (term.root ?? key).toLowerCase(),
          tags: new Set(term.tags),
          pre: term.pre,
          post: term.post,
          paragraph: p,
          quoted: paragraphQuotes.some((q) => start > q.open && end <= q.close),
        });
      }
      // compromise keeps `… arrival.” The company …` as one sentence: a full stop inside closing
      // marks, then a capital outside them, ends it ("!" and "?" do not: “Stop!” Trump wrote).
      let from = first;
      for (let i = first; i < tokens.length - 1; i++) {
        if (!tokens[i + 1].quoted && /^\p{Lu}/u.test(tokens[i + 1].text) && /\.["”»]\s/.test(body.slice(tokens[i].end, tokens[i + 1].start))) {
          sentenceRanges.push([from, i]);
          from = i + 1;
        }
      }
      if (tokens.length > from) sentenceRanges.push([from, tokens.length - 1]);
    }
    // A sentence boundary inside quotation marks does not end the reporter's sentence.
    for (const [first, last] of sentenceRanges) {
      const previous = units.at(-1);
      const crossed = previous && previous.paragraph === p && paragraphQuotes.some((q) => q.open < tokens[first].start && q.close > tokens[first].start);
      if (crossed) previous.last = last;
      else units.push({ paragraph: p, first, last, quotes: [] });
    }
  });
  for (const unit of units) {
    const from = tokens[unit.first].start - 1;
    const to = tokens[unit.last].end + 2;
    unit.quotes = quotes.filter((q) => q.open >= from && q.open < to);
  }
  return { body, tokens, units, quotes };
}

/** How names are compared: normalised, without full stops or a possessive ending. */
export function matchKey(name: string): string {
  return normalizeName(name).replace(/\./g, "").replace(/'s\b/g, "");
}
