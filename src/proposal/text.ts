import type Compromise from "compromise/two";
import { normalizeName } from "../source/names";
import { fasterSweep } from "./sweep";
import { singularOnce } from "./singular";
import { doubledMarks, paragraphsOf } from "./paragraphs";
import { CLOSING, findQuotes, type QuoteSpan } from "./quoteMarks";
import { GROUP_NOUNS, PERSON_DESCRIPTIONS, PERSON_ROLES, QUOTE_VERBS, REPORT_VERBS, TITLE_ABBREVIATIONS, TITLES } from "./lexicon";

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

export type { QuoteSpan } from "./quoteMarks";

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
// Its "two" build is the tokenizer and tagger alone: the full build adds phrase-level plugins, whose
// `chunks` pass ran on every parse (about a tenth of an extraction's CPU) and whose output nothing here reads.
let nlp: typeof Compromise | undefined;
function compromise(): typeof Compromise {
  return (nlp ??= (require("compromise/two") as typeof Compromise).plugin(fasterSweep).plugin(singularOnce));
}

/**
 * Whether the next double quotation mark from `from` on closes a quotation (a curly closing mark, or a straight one
 * after a word): an unmarked paragraph goes on with the quotation left open before it only then, however many
 * paragraphs it runs over. Where none follows, or the next one opens a quotation, the paragraph is the reporter's
 * again ("“All coaches like to win … // Angus Eve, the coach, was happy …": the writer dropped a closing mark).
 * `marks` holds the offsets of every mark in the body, in order.
 */
function closingNext(body: string, marks: number[], from: number): boolean {
  const at = marks[lowerBound(marks, (m) => m >= from)];
  if (at === undefined) return false;
  const c = body[at];
  return CLOSING.has(c) || (c === '"' && /\S/.test(body[at - 1] ?? "") && !/\p{L}/u.test(body[at + 1] ?? ""));
}

interface Term {
  text: string;
  pre: string;
  post: string;
  root?: string;
  tags: Set<string>;
  offset: { start: number; length: number };
}

/** The longest line compromise is given (news copy's longest paragraph in the evaluation set: 870). */
const MAX_TAGGED_LINE = 1_500;
/** The longest run without a space compromise is given (a long URL is a few hundred characters). */
const MAX_TAGGED_WORD = 500;

/**
 * The text with a newline (compromise ends a sentence there) in place of a space at least every
 * MAX_TAGGED_LINE characters of a line: compromise's sentence splitter re-tests the growing sentence
 * at each word it will not split after ("Mr.", "Gen."), quadratic in the sentence's length — a body
 * of 60,000 characters of abbreviations took over 15 s of CPU. A word longer than MAX_TAGGED_WORD is cut the same way.
 * Same length, so offsets hold.
 */
/** A run of white space with line breaks in it, the same length: one break and spaces, or (a blank line in it) all breaks. */
function blankRun(run: string): string {
  return run.indexOf("\n") === run.lastIndexOf("\n") ? "\n" + " ".repeat(run.length - 1) : "\n".repeat(run.length);
}

function boundedLines(text: string): string {
  let out = "";
  let from = 0;
  let lineStart = 0;
  let wordStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") lineStart = wordStart = i + 1;
    else if (text[i] === " ") wordStart = i + 1;
    else if (i - wordStart >= MAX_TAGGED_WORD) {
      // A "word" longer than any real one ("a.a.a.…" with no space): compromise's acronym pattern re-ran over it
      // (4 s for 60,000 characters); a newline in place of one of its characters cuts it.
      out += text.slice(from, i) + "\n";
      from = lineStart = wordStart = i + 1;
    } else if (i - lineStart >= MAX_TAGGED_LINE) {
      const space = text.lastIndexOf(" ", i);
      out += text.slice(from, space) + "\n";
      from = lineStart = space + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

export function analyse(original: string): AnalysedText {
  const body = original.includes("''") ? doubledMarks(original) : original;
  const tokens: Token[] = [];
  const units: Unit[] = [];
  const quotes: QuoteSpan[] = [];
  // A blank line ends a paragraph. The look-ahead scans spaces and tabs only: `\s*\n` re-read a whole
  // run of blank lines at each newline, quadratic on a body of "\n \n \n …".
  const paragraphs = paragraphsOf(body);
  const marks = [...body.matchAll(/[“”«»„"]/g)].map((m) => m.index!);
  const byParagraph = paragraphs.map((match, p) => {
    const open = quotes.at(-1)?.paragraph === p - 1 && quotes.at(-1)!.unclosed === true;
    const found = findQuotes(match[0], match.index!, p, open && closingNext(body, marks, match.index!));
    quotes.push(...found);
    return found;
  });
  // One pass of compromise over the whole body (a pass per paragraph costs half as much again).
  // It glues words joined by a dash ("objections—and"); a space of the same length keeps offsets.
  // Blank lines holding spaces reach it as line breaks only (same length): thousands of " \n" cost it quadratic time
  // (3.4 s for 48,000 characters).
  // A closing mark glued to the next word ("…people,”she said") is a space to it, or "”she" were one word; a sentence
  // glued to the next ("said spokesman Bill Harlow.They also …", copy that lost a space) ends at a line break.
  // (Not a domain, "Amazon.Com", nor an abbreviated title, "Gov.Smith".)
  const glued = new Set<number>();
  const spaced = body.replace(/[\u2014\u2015]|(?<=\s)\u2013(?=\s)|(?<=[,.!?])[”"](?=\p{L})/gu, " ").replace(/(\p{L}+)[.!?](?=\p{Lu}\p{Ll})(?!(?:Com|Org|Net|Gov|Edu|Info|Io|Co|Ai|Tv)\b)/gu, (m, word: string, at: number) => {
    if (!/\p{Ll}\p{Ll}$/u.test(word) || TITLE_ABBREVIATIONS.has(word.toLowerCase())) return m;
    glued.add(at + word.length);
    return word + "\n";
  });
  const doc = compromise()(boundedLines(spaced.replace(/[^\S\n]*\n\s*/g, blankRun)));
  doc.compute(["offset", "root"]);
  const sentenceRanges: [number, number][] = [];
  // News copy repeats its words ("the", "said", names): each distinct text is keyed once.
  const keys = new Map<string, string>();
  let p = 0;
  for (const sentence of (doc as unknown as { docs: Term[][] }).docs) {
    let from = tokens.length;
    for (const term of sentence) {
      const start = term.offset.start;
      const end = start + term.offset.length;
      // "ABC's George Stephanopoulos": compromise expands a capitalised word's 's into an empty "is"; there it is possessive.
      const previous = tokens.at(-1);
      if (term.offset.length === 0 && previous && /^\p{Lu}.*[’']s$/u.test(previous.text) && previous.end === start && /^\s+\p{Lu}/u.test(body.slice(start, start + 4))) continue;
      while (p + 1 < paragraphs.length && paragraphs[p + 1].index! <= start) p++;
      // A paragraph break ends a sentence, whatever compromise made of it.
      if (tokens.length > from && tokens.at(-1)!.paragraph !== p) {
        sentenceRanges.push([from, tokens.length - 1]);
        from = tokens.length;
      }
      const text = body.slice(start, end);
      let key = keys.get(text);
      if (key === undefined) keys.set(text, (key = matchKey(text)));
      tokens.push({
        index: tokens.length,
        start,
        end,
        text,
        key,
        lemma: (term.root ?? key).toLowerCase(),
        // compromise's own set: its document is dropped after this, and fixTags replaces sets, never changes one.
        tags: term.tags,
        pre: term.pre,
        post: term.post,
        paragraph: p,
        quoted: quotedAt(byParagraph[p], start, end),
      });
      // compromise keeps `… arrival.” The company …` as one sentence: a full stop inside closing
      // marks, then a capital outside them, ends it ("!" and "?" do not: “Stop!” Trump wrote).
      const i = tokens.length - 2;
      if (i >= from && !tokens[i + 1].quoted && /^\p{Lu}/u.test(tokens[i + 1].text) && /\.["”»’]\s/.test(body.slice(tokens[i].end, tokens[i + 1].start))) {
        sentenceRanges.push([from, i]);
        from = i + 1;
      }
    }
    if (tokens.length > from) sentenceRanges.push([from, tokens.length - 1]);
  }
  // A dash the tagger was given as a space is the dash again in its word's post ("WASHINGTON — The State Department": a
  // dateline is cut off at it, trimModifiers).
  if (/[\u2014\u2015\u2013]/.test(body)) for (let k = 0; k + 1 < tokens.length; k++) {
    const gap = body.slice(tokens[k].end, tokens[k + 1].start);
    if (/[\u2014\u2015]|\s\u2013\s/.test(gap)) tokens[k].post = gap;
  }
  // A name ends at a glued sentence's stop ("Bill Harlow.Clinton met …" is two people): the stop goes back into its word's post.
  if (glued.size) for (const t of tokens) if (glued.has(t.end)) t.post = body[t.end] + t.post;
  fixTags(tokens, body);
  // A sentence boundary inside quotation marks does not end the reporter's sentence.
  for (const [first, last] of sentenceRanges) {
    const previous = units.at(-1);
    const para = tokens[first].paragraph;
    // (The one quotation that may straddle them is the last to open before the previous sentence's end: a search.)
    const straddling = previous && byParagraph[para][lowerBound(byParagraph[para], (q) => q.open >= tokens[previous.last].end) - 1];
    const crossed = previous && previous.paragraph === para && straddling !== undefined && straddling.close > tokens[first].start;
    // "Estee Lauder Cos. said …": a full stop before a lower-case word ends an abbreviation, not a sentence; nor does
    // an abbreviated title's before a name ("…, said Const. Jane Doe", "Engr. Dave Umahi said"), nor a short one's before a
    // number ("a bribe of Rs. 500 crore", "No. 10").
    const abbreviation = previous && previous.paragraph === para && !tokens[first].quoted && tokens[previous.last].post.trim() === "." && (/^\p{Ll}/u.test(tokens[first].text) || titleAbbreviation(tokens[previous.last]) || (/^\d/.test(tokens[first].text) && tokens[previous.last].text.length <= 3));
    if (crossed || abbreviation) previous.last = last;
    else units.push({ paragraph: para, first, last, quotes: [] });
  }
  for (const unit of units) {
    const from = tokens[unit.first].start - Math.max(1, tokens[unit.first].pre.length);
    const to = tokens[unit.last].end + 2;
    unit.quotes = quotes.slice(lowerBound(quotes, (q) => q.open >= from), lowerBound(quotes, (q) => q.open >= to));
    // A sentence of hundreds of quotations is no prose (each is weighed against the whole sentence: quadratic).
    if (unit.quotes.length > MAX_SENTENCE_QUOTES) unit.quotes = [];
  }
  return { body, tokens, units, quotes };
}

/**
 * Misreadings of compromise's tagger that hide a speaker or a cue. It reads a plural noun that
 * opens a sentence as a verb ("Experts close to … predicted", "Critics say"): a plural of a speaker
 * noun (officials, experts, analysts, residents) opening its sentence, or after a determiner or
 * adjective, is a noun, and so is a collective between a name and a verb ("Troy police say"). And it reads some participles after a comma as nouns (", describing …"), and
 * a company's name that starts with a digit ("3M") as a number.
 */
/** Adverbs written between a subject and its verb ("Stokes also conceded", "Banks later said"). */
const ADVERBS_BEFORE_VERB = new Set(["also", "later", "then", "further", "previously", "earlier", "repeatedly", "again", "separately"]);

/** A title abbreviated, in title case: "Sec. Carlos Dominguez", not "with the SEC. Musk said". */
const titleAbbreviation = (t: Token) => TITLE_ABBREVIATIONS.has(t.key) && /^\p{Lu}\p{Ll}*$/u.test(t.text);

/** Whether a word lies inside one of its paragraph's quotations (in order, never overlapping: a search, not a scan). */
function quotedAt(quotes: QuoteSpan[], start: number, end: number): boolean {
  const q = quotes[lowerBound(quotes, (span) => span.open >= start) - 1];
  return q !== undefined && end <= q.close;
}

/** Quotations one sentence may hold (real copy has a handful). */
const MAX_SENTENCE_QUOTES = 64;

const INVERTED_CUES = new Set(["said", "says", "added", "wrote", "writes"]);

/** Past forms of saying the tagger may read as adjectives, and their lemmas. */
const SAID: Record<string, string> = { said: "say", told: "tell" };
const POSSESSIVE_DETERMINERS = new Set(["his", "its", "their", "my", "our", "your"]);

function fixTags(tokens: Token[], body: string): void {
  for (const t of tokens) {
    if (!t.tags.has("Verb") || t.tags.has("Auxiliary")) continue;
    const previous = tokens[t.index - 1];
    // "Troy police say", "Edo and Kano states recorded": a collective or a plural between a name and a verb
    // ("Troy" is no first name here, "states" no verb).
    const afterName = previous?.paragraph === t.paragraph && /^\p{Lu}/u.test(previous.text) && !previous.post.trim();
    // (compromise tags "recorded" after it as an adjective)
    const next = tokens[t.index + 1];
    const verbNext = Boolean(next?.tags.has("Verb") || (next?.tags.has("Adjective") && next.key.endsWith("ed")));
    // "… in Bauchi and Rivers states, the Federal Government has said": "states" before a comma is no verb either.
    // ("According to Parbat police, …": a collective before a comma too.)
    const places = afterName && (t.key === "states" || GROUP_NOUNS.has(t.key)) && /^[,.;]/.test(t.post.trim());
    const named = places || (afterName && verbNext && (GROUP_NOUNS.has(t.key) || (t.key.endsWith("s") && t.tags.has("PresentTense") && !previous.tags.has("Person"))));
    if (named) [previous.tags, t.tags, t.lemma] = [GROUP_NOUNS.has(t.key) ? new Set(["Noun", "ProperNoun"]) : previous.tags, new Set(["Noun", "Plural"]), t.key];
    if (named || !t.key.endsWith("s")) continue;
    if (!GROUP_NOUNS.has(t.key) && !PERSON_ROLES.has(t.key.replace(/(?<=[^s])s$/, ""))) continue;
    const opens = /^\p{Lu}/u.test(t.text) || !previous || previous.paragraph !== t.paragraph || /[.!?:;]/.test(previous.post);
    if (!opens && !["Determiner", "Adjective", "Possessive", "Value"].some((tag) => previous.tags.has(tag))) continue;
    t.tags = new Set(["Noun", "Plural"]);
    t.lemma = t.key;
  }
  for (const t of tokens) {
    const [previous, next] = [tokens[t.index - 1], tokens[t.index + 1]];
    // "Konecranes said", "But Konecranes, whose cranes …, said": a capitalised word read as a verb before a verb or a
    // relative pronoun is a name.
    if (next && t.tags.has("Verb") && !t.tags.has("Auxiliary") && /^\p{Lu}/u.test(t.text) && !t.quoted) {
      // ("Stokes also conceded": an adverb of the kind that stands between a subject and its verb may come first.)
      const verbAfter = ADVERBS_BEFORE_VERB.has(next.key) && !next.post.trim() ? tokens[t.index + 2] : next;
      const beforeVerb = !t.post.trim() && Boolean(verbAfter?.tags.has("Verb")) && (verbAfter.tags.has("PastTense") || verbAfter.tags.has("Auxiliary"));
      const beforeRelative = /^,$/.test(t.post.trim()) && ["who", "whose", "which"].includes(next.key);
      // "Police Scotland said", "Transport Secretary Mark Harper": one opening its sentence before a capitalised noun too.
      const opens = !previous || previous.paragraph !== t.paragraph || /[.!?:;]/.test(previous.post);
      const beforeName = opens && !t.post.trim() && !next.quoted && /^\p{Lu}/u.test(next.text) && (next.tags.has("ProperNoun") || next.tags.has("Noun")) && !next.tags.has("Verb");
      if (beforeVerb || beforeRelative || beforeName) [t.tags, t.lemma] = [new Set(["Noun", "ProperNoun"]), t.key];
    }
    // "…, a long-shot presidential candidate, said Obama is …", "Carson told ABC's …": "said" is an adjective only after a
    // determiner ("the said property"); the tagger reads it and "told" as one after a comma or a name too.
    if (t.text in SAID && !t.tags.has("Verb") && !t.quoted && !previous?.tags.has("Determiner")) [t.tags, t.lemma] = [new Set(["Verb", "PastTense"]), SAID[t.text]];
    // "campaign manager Robby Mook said", "transport minister Ana Ruiz": a word before a title and a name modifies the title.
    // ("Finance Sec. Carlos Dominguez", "Winnipeg police Cont. Jason Michalyshen": the title abbreviated with its stop.)
    const abbreviatedTitle = (k: Token) => titleAbbreviation(k) && k.post.trim() === "." && /^\p{Lu}/u.test(tokens[k.index + 1]?.text ?? "");
    if (abbreviatedTitle(t) && !t.quoted) [t.tags, t.lemma] = [new Set(["Noun", "Abbreviation"]), t.key];
    const titleNext = next && (TITLES.has(next.key) || PERSON_ROLES.has(next.key)) && /^\p{Lu}/u.test(tokens[t.index + 2]?.text ?? "") && (!next.post.trim() || abbreviatedTitle(next));
    if (titleNext && t.tags.has("Verb") && !t.tags.has("Auxiliary") && !t.tags.has("PastTense") && !t.post.trim() && !t.quoted && !QUOTE_VERBS.has(t.key)) [t.tags, t.lemma] = [new Set(["Noun", "Singular"]), t.key];
    // "…,” said retired neurosurgeon Ben Carson": an -ed word between an inverted "said" and a noun describes the speaker.
    if (previous && INVERTED_CUES.has(previous.text) && previous.tags.has("Verb") && t.tags.has("PastTense") && !t.quoted && next?.tags.has("Noun") && !next.tags.has("Pronoun") && !t.post.trim()) [t.tags, t.lemma] = [new Set(["Adjective"]), t.key];
    // "Her campaign said", "their plan says": after a possessive determiner a word is a noun, not a verb ("her" only where it
    // opens a phrase: "we saw her leave").
    const determiner = previous && (POSSESSIVE_DETERMINERS.has(previous.key) || (previous.key === "her" && !tokens[previous.index - 1]?.tags.has("Verb") && !tokens[previous.index - 1]?.tags.has("Preposition")));
    if (determiner && t.tags.has("Verb") && !t.tags.has("Auxiliary") && !t.tags.has("Gerund") && !t.quoted && next?.tags.has("Verb")) [t.tags, t.lemma] = [new Set(["Noun", "Singular"]), t.key];
    // "Analysts had forecast a profit": a verb of saying read as a noun after "had" is a participle.
    if (!t.tags.has("Verb") && QUOTE_VERBS.has(t.key) && ["had", "has", "have"].includes(previous?.key ?? "")) [t.tags, t.lemma] = [new Set(["Verb", "PastTense"]), t.key];
  }
  // "Douglass says based on …", "GE blames financing issues …": after a name the tagger does not know it reads a verb of
  // saying as a plural noun. "says" is a noun only after a determiner, which news copy never writes; another verb's -s
  // form is one right after a capitalised word when an object follows it ("Labour claims were …" keeps its noun).
  for (const t of tokens) {
    if (t.tags.has("Verb") || t.quoted || !t.key.endsWith("s") || t.index === 0) continue;
    const [previous, next] = [tokens[t.index - 1], tokens[t.index + 1]];
    if (t.key === "says" && !previous.tags.has("Determiner")) [t.tags, t.lemma] = [new Set(["Verb", "PresentTense"]), "say"];
    const lemma = [t.key.slice(0, -1), t.key.slice(0, -2)].find((v) => REPORT_VERBS.has(v));
    const object = next && !next.quoted && !next.tags.has("Verb") && !next.tags.has("Preposition") && (["Determiner", "Pronoun", "Noun", "Adjective"].some((tag) => next.tags.has(tag)) || next.key === "that");
    if (lemma && object && !t.post.trim() && t.key !== "says" && capital(previous) && !/[’']s$/.test(previous.text) && !previous.post.trim() && t.tags.has("Plural")) [t.tags, t.lemma] = [new Set(["Verb", "PresentTense"]), lemma];
  }
  // "said the England opener": a word only a person is called, after a determiner, a name or an adjective, is that noun
  // (the tagger read "opener" as a comparative).
  for (const t of tokens) {
    const previous = tokens[t.index - 1];
    if (PERSON_DESCRIPTIONS.has(t.key) && !t.tags.has("Noun") && previous && !previous.post.trim() && (capital(previous) || previous.tags.has("Determiner") || previous.tags.has("Adjective"))) [t.tags, t.lemma] = [new Set(["Noun", "Singular", "Actor"]), t.key];
  }
  // "Kuan Bi-ling", "Ho Po-wen", "Woo Sang-ho": a romanised given name's lower-case syllable after a hyphen is part of the
  // name (the tagger read "ling" as a verb and "Woo" as an exclamation).
  for (const t of tokens) {
    const previous = tokens[t.index - 1];
    if (!previous || previous.post !== "-" || !capital(previous) || !/^\p{Ll}{1,5}$/u.test(t.text) || !capital(tokens[t.index - 2] ?? t)) continue;
    for (const part of [tokens[t.index - 2], previous, t]) if (!part.tags.has("Person")) [part.tags, part.lemma] = [new Set(["Noun", "ProperNoun", "Singular", ...(part === t ? ["Hyphenated"] : [])]), part.key];
  }
  // "attorney-at-law Hugh Small", "editor-in-chief": a preposition or article inside a hyphenated compound is part of
  // the noun (as a preposition it ended the phrase before the name).
  for (const t of tokens) {
    if ((t.tags.has("Preposition") || t.tags.has("Determiner")) && t.post === "-" && tokens[t.index - 1]?.post === "-" && t.tags.has("Hyphenated")) t.tags = new Set(["Noun", "Singular", "Hyphenated"]);
  }
  // "3M", "7-Eleven": a number run into capitals is a company's name, not a value.
  for (const t of tokens) if (t.tags.has("Value") && /^\d+-?\p{Lu}[\p{L}-]*$/u.test(t.text)) t.tags = new Set(["Noun", "ProperNoun", "Organization", "Acronym"]);
  // ", describing the plant as …", "– saying, …": an -ing form of a verb of saying after a comma or a dash is a participle, not a noun.
  for (const t of tokens) {
    if (t.tags.has("Verb") || !t.key.endsWith("ing") || t.index === 0 || !/,|[–—]|\s-\s/.test(body.slice(tokens[t.index - 1].end, t.start))) continue;
    const stem = t.key.slice(0, -3);
    const lemma = [stem, stem + "e", stem.slice(0, -1)].find((v) => v.length > 1 && QUOTE_VERBS.has(v));
    if (lemma) [t.tags, t.lemma] = [new Set(["Verb", "Gerund"]), lemma];
  }
}

/**
 * The first index in `items` at which `from` holds, for a `from` that is false then true along the array
 * (`items.length` if it never holds). Tokens, quotations and person mentions are in reading order and
 * never overlap, so "the first token starting at or after an offset" is a binary search, not a scan of
 * the whole body for every proposal.
 */
export function lowerBound<T>(items: T[], from: (item: T) => boolean): number {
  let [lo, hi] = [0, items.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (from(items[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The last token ending at or before `offset` that passes `ok`. */
export function lastTokenBy(tokens: Token[], offset: number, ok: (t: Token) => boolean): Token | undefined {
  for (let i = lowerBound(tokens, (t) => t.end > offset) - 1; i >= 0; i--) if (ok(tokens[i])) return tokens[i];
  return undefined;
}

/** How names are compared: normalised, without full stops or a possessive ending. */
export function matchKey(name: string): string {
  return normalizeName(name).replace(/\./g, "").replace(/'s\b/g, "");
}

/** Whether a token starts with a capital letter. */
export const capital = (t: Token) => /^\p{Lu}/u.test(t.text);

/** The words of a name as written, a possessive's "'s" dropped and hyphenated words joined ("Chatham-Kent"; compromise splits at the hyphen). */
export const clean = (tokens: Token[]) =>
  // (Only the last word's possessive is the phrase's: "Yavapai County Sheriff's Office", "Ontario Nurses’ Association" keep theirs.)
  // (But "Texas's Department of Public Safety" is the "Texas Department of Public Safety": a place's or a person's goes.)
  tokens.map((t, k) => (k === tokens.length - 1 || ownerWord(t) ? t.text.replace(/[’']s$/, "") : t.text + (/^[’']/.test(t.post) && /s$/.test(t.text) ? t.post[0] : "")) + (k === tokens.length - 1 ? "" : t.post.trim() === "-" ? "-" : " ")).join("");
/** A place's or a person's name, whose possessive owns what follows rather than naming it ("Texas's Department"). */
export const ownerWord = (t: Token) => ["Place", "Person", "FirstName", "LastName"].some((tag) => t.tags.has(tag));
