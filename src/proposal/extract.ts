import type { ClaimKind } from "../generated/prisma/client";
import type { ProposalPattern } from "./service";
import { SpeakerResolver, type CatalogueSource, type Speaker } from "./speakers";
import { analyse, type QuoteSpan, type Token, type Unit } from "./text";

/**
 * Finds attributed claims in news copy, in the manner of BBC R&D's Citron: direct quotes (words in
 * quotation marks tied to a speaker by a speech verb or "according to"), mixed quotes (a few quoted
 * words inside the reporter's clause) and indirect speech ("X said that …", "X warned …"). Sentences,
 * tokens, parts of speech and person names come from compromise; the rules over them are general
 * newswriting conventions, not tuned to any one article.
 */
export interface RawProposal {
  start: number;
  end: number;
  text: string;
  pattern: ProposalPattern;
  speaker: Speaker;
  kind: ClaimKind;
  confidence: number;
}

/** Verbs that attribute words in quotation marks ("…," she said). */
const QUOTE_VERBS = new Set(
  ("say tell write add ask reply answer explain note warn vow declare state announce claim insist argue tweet post " +
    "continue recall remark observe quip exclaim shout conclude acknowledge admit concede stress emphasize emphasise " +
    "complain predict promise pledge threaten urge suggest confirm deny allege accuse assert maintain respond testify " +
    "caution counter retort joke boast lament mutter whisper scream yell cry plead demand order advise tell").split(" "),
);
/** Verbs of reported speech without quotation marks ("X warned that …", "officials blamed Iran"). */
const REPORT_VERBS = new Set(
  ("say tell write claim warn announce declare state insist argue assert allege accuse blame deny confirm acknowledge " +
    "admit predict promise pledge vow threaten urge suggest report point hint reply respond note add explain maintain " +
    "contend estimate testify call charge caution concede complain recommend propose tweet post").split(" "),
);
/** Verbs that report speech only with a particular particle: "pointed to", "called for". */
const NEEDS_PARTICLE: Record<string, string[]> = { point: ["to", "out"], call: ["for", "on"], respond: ["that", "with"], reply: ["that", "with"] };
const ALLEGATION_VERBS = new Set(["blame", "accuse", "allege", "charge", "point"]);
/** Words that may stand between a subject and its verb: auxiliaries, negation, adverbs of manner and time. */
const BETWEEN = new Set(
  ("had has have was were is are will would could also simply first later then reportedly previously publicly repeatedly " +
    "once again already still never not separately privately recently quickly immediately initially subsequently").split(" "),
);
/** Words of the when and how of a statement ("on Tuesday", "in a statement"), not of its content. */
const SETTING = new Set(["statement", "interview", "email", "briefing", "conference", "post", "tweet", "speech", "release", "told", "reporters", "yesterday", "today", "earlier", "later", "week", "month", "year"]);
const CLAUSE_CONJUNCTIONS = new Set(["and", "but", "although", "though", "while", "whereas", "as", "because", "yet", "so"]);
const NOMINAL = ["Noun", "ProperNoun", "Adjective", "Determiner", "Acronym", "Value", "Honorific", "Abbreviation", "Person", "Organization", "Possessive"];

const CONFIDENCE = { DIRECT: 0.9, CONTINUATION: 0.75, MIXED: 0.75, ACCORDING_TO: 0.8, INDIRECT: 0.6 };

export function extractProposals(body: string, sources: CatalogueSource[]): RawProposal[] {
  const text = analyse(body);
  const resolver = new SpeakerResolver(sources);
  resolver.noteMentions(text.tokens);
  const proposals: RawProposal[] = [];
  const context = new Extraction(text.body, text.tokens, resolver, proposals);
  for (const unit of text.units) context.unit(unit);
  return dedupe(proposals);
}

interface Clause {
  from: number;
  to: number;
}

class Extraction {
  /** The speaker of the last quote per paragraph, for quotes continued without a new attribution. */
  private lastSpeaker = new Map<number, Speaker>();

  constructor(
    private readonly body: string,
    private readonly tokens: Token[],
    private readonly resolver: SpeakerResolver,
    private readonly out: RawProposal[],
  ) {}

  unit(unit: Unit) {
    const clauses = this.clauses(unit);
    const usedVerbs = new Set<number>();
    const covered = new Set<Clause>();
    for (const quote of unit.quotes) {
      if (this.embedded(quote)) this.mixed(unit, clauses, quote, usedVerbs, covered);
      else this.direct(unit, quote, usedVerbs);
    }
    for (const clause of clauses) if (!covered.has(clause)) this.indirect(unit, clauses, clause, usedVerbs);
  }

  private direct(unit: Unit, quote: QuoteSpan, usedVerbs: Set<number>) {
    const span = this.innerSpan(quote);
    if (!span || !/\p{L}.*\p{L}/u.test(this.body.slice(span.start, span.end))) return;
    let speaker: Speaker | null = null;
    let confidence = CONFIDENCE.DIRECT;
    const after = this.outside(unit, quote.close, this.nextQuoteOpen(unit, quote));
    const before = this.outside(unit, this.previousQuoteClose(unit, quote), quote.open);
    // A full stop inside the marks ends the sentence: what follows is not its attribution ("…cut.” She urged …).
    const closed = /\.\s*$/.test(this.body.slice(quote.open + 1, quote.close));
    const cueAfter = closed ? null : this.cueIn(after, QUOTE_VERBS, 10);
    if (cueAfter !== null) {
      usedVerbs.add(cueAfter);
      speaker = this.speakerOfCue(after, cueAfter);
    } else if (before.length && /[:,]\s*$/.test(this.body.slice(before.at(-1)!.end, quote.open))) {
      const cue = this.lastCueIn(before, QUOTE_VERBS);
      if (cue !== null) {
        usedVerbs.add(cue);
        speaker = this.speakerOfCue(before, cue);
      }
    }
    if (!speaker) {
      const according = this.accordingTo(unit);
      if (according) [speaker, confidence] = [according, CONFIDENCE.ACCORDING_TO];
    }
    if (!speaker && cueAfter === null) {
      const previous = this.lastSpeaker.get(quote.paragraph);
      if (previous) [speaker, confidence] = [{ ...previous, resolution: "CONTINUATION" }, CONFIDENCE.CONTINUATION];
    }
    if (!speaker) return;
    this.lastSpeaker.set(quote.paragraph, speaker);
    this.push({ ...span, pattern: "DIRECT", speaker, kind: "DIRECT_QUOTE", confidence });
  }

  private mixed(unit: Unit, clauses: Clause[], quote: QuoteSpan, usedVerbs: Set<number>, covered: Set<Clause>) {
    const index = clauses.findIndex((c) => this.tokens[c.from].start <= quote.open && quote.open <= this.tokens[c.to].end);
    if (index < 0) return;
    const clause = clauses[index];
    let speaker = this.accordingTo(unit);
    let confidence = CONFIDENCE.ACCORDING_TO;
    let whole = speaker !== null;
    if (!speaker) {
      const verbs = this.range(clause).filter((t) => !t.quoted && this.isReportVerb(t.index, QUOTE_VERBS));
      const verb = verbs.find((t) => t.start < quote.open) ?? verbs[0];
      if (!verb) return; // Quotation marks with nobody speaking: scare quotes, titles.
      usedVerbs.add(verb.index);
      speaker = this.subjectSpeaker(clauses, index, verb.index);
      confidence = CONFIDENCE.MIXED;
      // A clause with a subject of its own holds the whole attribution; one that continues the
      // sentence's subject ("… and told reporters …") starts at its verb.
      whole = this.subjectPhrase(clause.from, verb.index).length > 0 || index === 0;
      if (!whole) clause.from = verb.index;
    }
    if (!speaker) return;
    covered.add(clause);
    const start = whole && index === 0 ? this.tokens[unit.first].start : this.tokens[clause.from].start;
    const end = Math.max(this.clauseEnd(clause), Math.min(quote.close + 1, this.body.length));
    if (this.out.some((p) => p.pattern === "MIXED" && p.start === start)) return;
    this.lastSpeaker.set(quote.paragraph, speaker);
    this.push({ start, end, text: "", pattern: "MIXED", speaker, kind: "PARTIAL_QUOTE", confidence });
  }

  private indirect(unit: Unit, clauses: Clause[], clause: Clause, usedVerbs: Set<number>) {
    const index = clauses.indexOf(clause);
    const according = unit.quotes.length === 0 ? this.accordingTo(unit) : null;
    if (according && this.range(clause).some((t) => t.key === "according")) {
      this.push({ ...this.unitSpan(unit), text: "", pattern: "INDIRECT", speaker: according, kind: "PARAPHRASE", confidence: CONFIDENCE.ACCORDING_TO });
      return;
    }
    for (const token of this.range(clause)) {
      if (token.quoted || usedVerbs.has(token.index) || !this.isReportVerb(token.index, REPORT_VERBS)) continue;
      const speaker = this.subjectSpeaker(clauses, index, token.index);
      if (!speaker) continue;
      const rest = this.range({ from: token.index + 1, to: clause.to });
      // "…, officials said." / "…, as the paper reported in May": the attribution covers the whole sentence.
      const subject = this.subjectPhrase(clause.from, token.index);
      const afterComma = subject.length > 0 && this.body.slice(this.tokens[unit.first].start, subject[0].start).includes(",");
      const parenthetical =
        (index > 0 || afterComma) &&
        index === clauses.length - 1 &&
        (this.tokens[clause.from].key === "as" || rest.every((t) => SETTING.has(t.key) || t.tags.has("Date") || t.tags.has("Preposition") || t.tags.has("Determiner")));
      if (rest.length === 0 && !parenthetical) continue;
      const ownSubject = subject.length > 0;
      // A sentence-opening quotation next to the reported clause is a claim of its own: stop at it.
      const quoteBefore = unit.quotes.filter((q) => q.close < token.start && !this.embedded(q)).at(-1);
      const quoteAfter = unit.quotes.find((q) => q.open > token.end && !this.embedded(q));
      const from = parenthetical || index === 0 ? this.tokens[unit.first].start : this.tokens[ownSubject ? this.clauseStart(clause) : token.index].start;
      const start = quoteBefore ? Math.max(from, this.tokens.find((t) => t.start > quoteBefore.close)!.start) : from;
      let end = parenthetical ? this.unitSpan(unit).end : this.clauseEnd(clause);
      if (quoteAfter && quoteAfter.open < end) end = this.clauseEnd({ from: clause.from, to: this.tokens.findLast((t) => t.end <= quoteAfter.open)!.index });
      const nonverbal = (token.lemma === "reply" || token.lemma === "respond") && rest[0]?.key === "with";
      const kind: ClaimKind = nonverbal ? "NONVERBAL" : ALLEGATION_VERBS.has(token.lemma) ? "ALLEGATION" : "PARAPHRASE";
      this.push({ start, end, text: "", pattern: "INDIRECT", speaker, kind, confidence: CONFIDENCE.INDIRECT });
      return;
    }
  }

  private push(p: RawProposal) {
    let confidence = p.confidence;
    if (p.speaker.resolution === "PRONOUN" || p.speaker.resolution === "DESCRIPTION") confidence -= 0.1;
    if (p.speaker.resolution === "NEW_SOURCE") confidence -= p.speaker.kind === "PERSON" ? 0.05 : 0.25;
    const text = p.text || this.body.slice(p.start, p.end);
    this.out.push({ ...p, text, confidence: Math.round(confidence * 100) / 100 });
  }

  /** Clauses of a sentence, split where a comma or semicolon is followed by a conjunction. */
  private clauses(unit: Unit): Clause[] {
    const clauses: Clause[] = [{ from: unit.first, to: unit.last }];
    for (let i = unit.first + 1; i <= unit.last; i++) {
      const previous = this.tokens[i - 1];
      const token = this.tokens[i];
      if (token.quoted || previous.quoted) continue;
      const between = this.body.slice(previous.end, token.start);
      const boundary = /;/.test(between) || (/[,\u2014\u2015]|\s\u2013\s/.test(between) && CLAUSE_CONJUNCTIONS.has(token.key));
      if (boundary) {
        clauses.at(-1)!.to = i - 1;
        clauses.push({ from: i, to: unit.last });
      }
    }
    return clauses;
  }

  private clauseStart(clause: Clause): number {
    const first = this.tokens[clause.from];
    return CLAUSE_CONJUNCTIONS.has(first.key) && clause.from < clause.to ? clause.from + 1 : clause.from;
  }

  /** End offset of a clause, with the sentence's closing punctuation when it ends there. */
  private clauseEnd(clause: Clause): number {
    const last = this.tokens[clause.to];
    const closing = /^[^\s,;]*/.exec(last.post)![0].replace(/[,;]+$/, "");
    return last.end + closing.length;
  }

  private unitSpan(unit: Unit) {
    return { start: this.tokens[unit.first].start, end: this.clauseEnd({ from: unit.first, to: unit.last }) };
  }

  private range(clause: Clause): Token[] {
    return this.tokens.slice(clause.from, clause.to + 1);
  }

  /** Tokens of a sentence outside quotation marks, between two offsets. */
  private outside(unit: Unit, from: number, to: number): Token[] {
    return this.tokens.slice(unit.first, unit.last + 1).filter((t) => !t.quoted && t.start > from && t.end <= to);
  }

  private nextQuoteOpen(unit: Unit, quote: QuoteSpan): number {
    return unit.quotes.find((q) => q.open > quote.open)?.open ?? this.tokens[unit.last].end + 1;
  }

  private previousQuoteClose(unit: Unit, quote: QuoteSpan): number {
    return unit.quotes.filter((q) => q.open < quote.open).at(-1)?.close ?? this.tokens[unit.first].start - 1;
  }

  /** The words inside the marks, without surrounding spaces and the comma that hands over to the attribution. */
  private innerSpan(quote: QuoteSpan): { start: number; end: number; text: string } | null {
    let start = quote.open + 1;
    let end = quote.close;
    while (start < end && /\s/.test(this.body[start])) start++;
    while (end > start && /[\s,]/.test(this.body[end - 1])) end--;
    return end > start ? { start, end, text: this.body.slice(start, end) } : null;
  }

  /** A quotation that runs on inside the reporter's sentence, rather than opening it or following a colon or comma. */
  private embedded(quote: QuoteSpan): boolean {
    let i = quote.open - 1;
    while (i >= 0 && this.body[i] === " ") i--;
    return i >= 0 && /[\p{L}\p{N}’']/u.test(this.body[i]);
  }

  private isReportVerb(index: number, verbs: Set<string>): boolean {
    const token = this.tokens[index];
    if (!token.tags.has("Verb") || token.tags.has("Gerund") || token.tags.has("Auxiliary") || !verbs.has(token.lemma)) return false;
    // "to say", "was told" (the speaker is someone else), "did not say" (nothing was said).
    const previous = this.tokens[index - 1];
    if (previous && ["to", "was", "were", "been", "not", "never", "n't"].includes(previous.key)) return false;
    const particles = NEEDS_PARTICLE[token.lemma];
    return !particles || particles.includes(this.tokens[index + 1]?.key ?? "");
  }

  private cueIn(tokens: Token[], verbs: Set<string>, within: number): number | null {
    return tokens.slice(0, within).find((t) => this.isReportVerb(t.index, verbs))?.index ?? null;
  }

  private lastCueIn(tokens: Token[], verbs: Set<string>): number | null {
    return tokens.filter((t) => this.isReportVerb(t.index, verbs)).at(-1)?.index ?? null;
  }

  /** "…," said X / "…," X said / X said: "…". */
  private speakerOfCue(segment: Token[], verb: number): Speaker | null {
    const before = segment.filter((t) => t.index < verb && !BETWEEN.has(t.key));
    if (before.length === 0) return this.resolver.resolve(this.phraseFrom(verb + 1));
    return this.resolver.resolve(this.subjectPhrase(segment[0].index, verb));
  }

  /** The speaker of a verb: its clause's subject, or the sentence's for a clause that has none. */
  private subjectSpeaker(clauses: Clause[], index: number, verb: number): Speaker | null {
    for (let i = index; i >= 0; i--) {
      const clause = clauses[i];
      const end = i === index ? verb : this.firstVerb(clause) ?? clause.to + 1;
      const phrase = this.subjectPhrase(this.clauseStart(clause), end);
      if (phrase.length) return this.resolver.plausible(phrase) ? this.resolver.resolve(phrase) : null;
      if (i === index && !CLAUSE_CONJUNCTIONS.has(this.tokens[clause.from].key) && i > 0) return null;
    }
    return null;
  }

  private firstVerb(clause: Clause): number | null {
    return this.range(clause).find((t) => t.tags.has("Verb") && !t.quoted)?.index ?? null;
  }

  /** The noun phrase (or pronoun) right before a verb, skipping auxiliaries, adverbs, appositives and parentheses. */
  private subjectPhrase(from: number, verb: number): Token[] {
    let i = verb - 1;
    while (i >= from && BETWEEN.has(this.tokens[i].key)) i--;
    if (i >= from && this.tokens[i].post.includes(")")) {
      while (i >= from && !this.tokens[i].pre.includes("(")) i--;
      i--;
    }
    if (i >= from && /,/.test(this.tokens[i].post)) {
      // "Brian Hook, the department's envoy, said": the subject ends at the first comma.
      let j = i - 1;
      while (j >= from && !/,/.test(this.tokens[j].post)) j--;
      if (j < from) return [];
      i = j;
    }
    if (i < from || this.tokens[i].quoted) return [];
    if (this.tokens[i].tags.has("Pronoun")) return [this.tokens[i]];
    return this.phraseEndingAt(i, from, 2);
  }

  private phraseEndingAt(end: number, from: number, depth: number): Token[] {
    let start = end;
    while (start - 1 >= from && this.joinsPhrase(start - 1) && !/[,;:]/.test(this.tokens[start - 1].post)) start--;
    const phrase = this.trim(this.tokens.slice(start, end + 1));
    // "Experts close to the administration said": the phrase is an object; the subject comes before it.
    const before = this.tokens[start - 1];
    if (depth > 0 && before && start - 1 > from && before.tags.has("Preposition") && !/[,;:]/.test(this.tokens[start - 2].post)) {
      let k = start - 2;
      while (k > from && (this.tokens[k].tags.has("Adjective") || this.tokens[k].tags.has("Adverb"))) k--;
      return this.phraseEndingAt(k, from, depth - 1);
    }
    return this.nominal(this.tokens[end]) ? phrase : [];
  }

  /** Forward noun phrase after an inverted verb: "said Matthew Brodsky on Tuesday". */
  private phraseFrom(start: number): Token[] {
    const phrase: Token[] = [];
    for (let i = start; i < this.tokens.length && !this.tokens[i].quoted; i++) {
      if (!this.joinsPhrase(i) || (phrase.length === 0 && !this.nominal(this.tokens[i]))) break;
      phrase.push(this.tokens[i]);
      if (/[,;:.!?]/.test(this.tokens[i].post.replace(/^\.(?=\s)/, this.tokens[i].tags.has("Abbreviation") ? "" : "."))) break;
    }
    return this.trim(phrase);
  }

  private nominal(token: Token): boolean {
    return !token.quoted && !token.tags.has("Verb") && !token.tags.has("Date") && NOMINAL.some((tag) => token.tags.has(tag));
  }

  /** Nominal, or "of"/"for"/"in" between capitalised words ("Department of Defense", "Embassy in Baghdad"). */
  private joinsPhrase(i: number): boolean {
    const token = this.tokens[i];
    if (this.nominal(token) && !token.tags.has("Pronoun")) return true;
    const capital = (t?: Token) => Boolean(t && /^\p{Lu}/u.test(t.text));
    return ["of", "for", "in"].includes(token.key) && capital(this.tokens[i - 1]) && capital(this.tokens[i + 1]) && !/[,;:]/.test(this.tokens[i - 1].post);
  }

  private trim(phrase: Token[]): Token[] {
    let end = phrase.length;
    while (end > 1 && phrase[end - 1].tags.has("Adjective") && !phrase[end - 1].tags.has("ProperNoun")) end--;
    return phrase.slice(0, end);
  }

  /** "…, according to X" anywhere in the sentence outside quotation marks. */
  private accordingTo(unit: Unit): Speaker | null {
    for (let i = unit.first; i < unit.last; i++) {
      if (!this.tokens[i].quoted && this.tokens[i].key === "according" && this.tokens[i + 1].key === "to") {
        return this.resolver.resolve(this.phraseFrom(i + 2));
      }
    }
    return null;
  }
}

/** Overlapping proposals (an indirect clause around a mixed quote): the more confident one stays. */
function dedupe(proposals: RawProposal[]): RawProposal[] {
  const kept: RawProposal[] = [];
  for (const p of [...proposals].sort((a, b) => b.confidence - a.confidence || a.start - b.start)) {
    const clash = kept.some((k) => {
      const overlap = Math.min(k.end, p.end) - Math.max(k.start, p.start);
      return overlap > 0.5 * Math.min(k.end - k.start, p.end - p.start);
    });
    if (!clash) kept.push(p);
  }
  return kept.sort((a, b) => a.start - b.start);
}
