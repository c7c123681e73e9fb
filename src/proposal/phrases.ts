import { BETWEEN, CLAUSE_CONJUNCTIONS, NAME_PARTICLES, OFFICE_MODIFIERS, OFFICES, STAFF, TITLE_ABBREVIATIONS, TITLES, VOICE_HEADS, VOICE_LINKS } from "./lexicon";
import type { Token, Unit } from "./text";

const RELATIVES = new Set(["who", "whom", "whose", "which"]);

/** A clause of a sentence: a token index range. */
export interface Clause {
  from: number;
  to: number;
}

/** Prepositions that also open a clause ("after the company said …"). */
const SUBORDINATORS = new Set(["after", "before", "since", "until", "because", "as", "while", "though", "although"]);

const OWNING = new Set(["his", "her", "its", "their"]);
/** Nouns of a time ("at the same time") and the words that make a time phrase of a noun ("this week", "last month"). */
const TIME_NOUNS = new Set(["time", "meantime", "meanwhile", "week", "weekend", "month", "year", "morning", "afternoon", "evening", "night", "day", "decade", "season", "quarter", "moment", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
const TIME_DETERMINERS = new Set(["this", "last", "next", "that", "each", "every", "same", "late", "early"]);
const NOMINAL = ["Noun", "ProperNoun", "Adjective", "Determiner", "Acronym", "Value", "Honorific", "Abbreviation", "Person", "Organization", "Possessive"];

/** Noun phrases and clauses over an article's tokens: where a subject starts and ends, where a clause ends. */
export class Phrases {
  constructor(
    private readonly body: string,
    private readonly tokens: Token[],
  ) {}

  /** Clauses of a sentence, split where a comma or semicolon is followed by a conjunction. */
  clauses(unit: Unit): Clause[] {
    const clauses: Clause[] = [{ from: unit.first, to: unit.last }];
    for (let i = unit.first + 1; i <= unit.last; i++) {
      const previous = this.tokens[i - 1];
      const token = this.tokens[i];
      // Not inside quotation marks; but a quotation closing before the comma ends a clause (“… board”, while X said),
      // unless the same verb's content goes on (“…,” and that “…”).
      const closed = /^(?:[,;]["”»’]|["”»’][,;])\s/.test(this.body.slice(previous.end, token.start)) && this.tokens[i + 1]?.key !== "that";
      if (token.quoted || (previous.quoted && !closed)) continue;
      const between = this.body.slice(previous.end, token.start);
      // "He insisted, though, that …": a conjunction between commas is an aside, not a new clause.
      // (", after Hamas said …" opens a clause; ", after admitting that …" is a participle of the sentence's subject.)
      const boundary = /;/.test(between) || (/[,\u2014\u2015]|\s\u2013\s/.test(between) && CLAUSE_CONJUNCTIONS.has(token.key) && !/^,/.test(token.post.trim()) && !(token.key === "after" && this.tokens[i + 1]?.tags.has("Gerund")));
      if (boundary) {
        clauses.at(-1)!.to = i - 1;
        clauses.push({ from: i, to: unit.last });
      }
    }
    return clauses;
  }

  clauseStart(clause: Clause): number {
    const first = this.tokens[clause.from];
    return CLAUSE_CONJUNCTIONS.has(first.key) && clause.from < clause.to ? clause.from + 1 : clause.from;
  }

  /** End offset of a clause, with the sentence's closing punctuation when it ends there. */
  clauseEnd(clause: Clause): number {
    const last = this.tokens[clause.to];
    const closing = /^[^\s,;]*/.exec(last.post)![0].replace(/[,;]+$/, "");
    return last.end + closing.length;
  }

  range(clause: Clause): Token[] {
    return this.tokens.slice(clause.from, clause.to + 1);
  }

  /** The noun phrase (or pronoun) right before a verb, skipping auxiliaries, adverbs, appositives and parentheses. */
  subjectPhrase(from: number, verb: number): Token[] {
    let i = verb - 1;
    // ("Reince Priebus later Thursday told Fox News", "Smith on Monday said": a time between subject and verb.)
    const when = (k: number) => this.tokens[k].tags.has("Date") && !this.tokens[k].quoted && !/[,;:]/.test(this.tokens[k].post);
    // ("Governor Philip Lowe this week told": the word that makes a time of the noun after it too.)
    while (i >= from && (BETWEEN.has(this.tokens[i].key) || when(i) || ((this.tokens[i].key === "on" || TIME_DETERMINERS.has(this.tokens[i].key)) && i + 1 < verb && when(i + 1)))) i--;
    // ("said Sgt Cronin who added that …", "the comments of Chase Carey, who said …": a relative pronoun's subject is the
    // phrase it follows, and one after a comma is no object of what comes before it.)
    // ("Police released a statement to the BBC, which said …": "which" may mean a phrase before the one it follows.)
    if (i > from && this.tokens[i].key === "who" && !/[;:]/.test(this.tokens[i - 1].post)) {
      // (Not an aside before the main verb, "Itani, who has briefed the government, told …": the man's background.)
      const close = this.tokens.slice(verb + 1, verb + 12).find((t) => /,/.test(t.post));
      const aside = close !== undefined && Boolean(this.tokens[close.index + 1]?.tags.has("Verb")) && !this.tokens[close.index + 1].tags.has("Gerund");
      const says = this.tokens[verb].lemma === "say" || this.tokens.slice(verb + 1, verb + 8).some((t) => t.key === "that" && !t.quoted) || !aside;
      if (!/,/.test(this.tokens[i - 1].post)) i--;
      else if (says) return this.phraseEndingAt(i - 1, from, 0);
    }
    // A comma after a parenthesis belongs to what it follows ("chief executive of the Board (HSCB), has described").
    let commaAt = -1;
    if (i >= from && this.tokens[i].post.includes(")")) {
      if (/\),/.test(this.tokens[i].post)) commaAt = i;
      while (i >= from && !this.tokens[i].pre.includes("(")) i--;
      i--;
      if (commaAt >= 0) commaAt = i;
    }
    const comma = (k: number) => k === commaAt || /,/.test(this.tokens[k].post);
    // "The trust – which runs Queen's and City Hospital – said": an aside between dashes is not the subject.
    if (i >= from && this.dashAfter(i)) {
      let j = i - 1;
      while (j >= from && !this.dashAfter(j)) j--;
      if (j >= from) i = j;
      while (i >= from && BETWEEN.has(this.tokens[i].key)) i--;
    }
    // "Dr. Chikwe Ihekweazu, in a statement released in Abuja, on Saturday, disclosed": asides of when and where, between
    // commas, stand between the subject and its verb.
    let moved = false;
    for (let j = i - 1; i >= from && comma(i); j = i - 1) {
      while (j >= from && !/,/.test(this.tokens[j].post)) j--;
      if (j < from || !this.tokens[j + 1].tags.has("Preposition")) break;
      [i, moved] = [j, true];
    }
    // "But Konecranes, whose cranes are used in factories, shipyards and ports, said": a relative clause, commas and all.
    const relative = i >= from && comma(i) ? this.tokens.slice(Math.max(from + 1, i - 30), i + 1).findLast((t) => ["who", "whose", "which"].includes(t.key) && /,/.test(this.tokens[t.index - 1].post)) : undefined;
    if (relative && !this.tokens.slice(relative.index, i + 1).some((t) => t.quoted)) [i, moved] = [relative.index - 1, true];
    // "He, however, noted": an adverb between commas is an aside, not an appositive.
    const aside = i >= from && i + 1 < verb && BETWEEN.has(this.tokens[i + 1].key) && /,/.test(this.tokens[i + 1].post);
    const chained = i >= from && comma(i) && !aside ? this.appositiveChain(from, i) : null;
    if (chained) return chained;
    if (i >= from && comma(i) && !aside) {
      // "Brian Hook, the department's envoy, said": the subject ends at the first comma; but in
      // "A defense lawyer, David Patton, said" the name is the appositive.
      let j = i - 1;
      while (j >= from && !/,/.test(this.tokens[j].post)) j--;
      // ("Cisco chief executive Mr John Chambers, stated:": a stray comma after a name, with no verb before it.)
      const stray = () => !this.tokens.slice(from, i + 1).some((t) => t.quoted || t.tags.has("Verb")) && this.phraseEndingAt(i, from, 2).some(isName);
      if (j < from) return moved || stray() ? this.phraseEndingAt(i, from, 2) : [];
      const appositive = this.tokens.slice(j + 1, i + 1);
      const head = this.phraseEndingAt(j, from, 2);
      // "Petrov's counterpart, Olena Marchenko, said": a possessive name modifies the head, it is not the subject.
      // "The officer in charge of the case, Detective Sergeant Faa Vaaelua of Manurewa CIB, told": a name with its unit.
      const withUnit = appositive.every((t, k) => this.nominal(t) || (k > 0 && ["of", "at", "from", "for"].includes(t.key)));
      const named = this.nameBeforeUnit(appositive);
      if (!head.some((t) => isName(t) && !/[’']s$/.test(t.text)) && (named.some(isName) || namelike(named)) && withUnit) return named;
      // "Speaking at a media briefing on Thursday, April 3, the Minister, who …, stated": what the comma ends is a fronted
      // adverbial, no head; the phrase after it is the subject.
      const fronted = this.tokens[from].tags.has("Preposition") || (this.tokens[from].tags.has("Gerund") && from < j);
      // ("In a statement to the BBC, the regulator said": a name inside the fronted phrase, after its preposition, is no head.)
      const inside = head.length > 0 && this.tokens[head[0].index - 1]?.tags.has("Preposition") && !/,/.test(this.tokens[head[0].index - 1].post) && !head.some((t) => t.tags.has("Person"));
      if (fronted && (!head.some(isName) || inside) && appositive.every((t) => this.nominal(t))) return appositive;
      return head;
    }
    if (i < from || this.tokens[i].quoted) return [];
    if (this.tokens[i].tags.has("Pronoun")) return [this.tokens[i]];
    return this.phraseEndingAt(i, from, 2);
  }

  /**
   * "Rachel Berg, a philanthropist from Monsey, New York, said", "Sen. Lindsey Graham, R-S.C., a long-shot candidate,
   * said": a name opening the clause, then asides between commas (a description, a place, an age, a party) up to the
   * verb, none with a verb or a quotation of its own. Only two commas were understood before (one aside).
   */
  private appositiveChain(from: number, end: number): Token[] | null {
    let k = from;
    while (k < end && !/,/.test(this.tokens[k].post)) k++;
    const lead = this.tokens.slice(from, k + 1);
    const asides = this.tokens.slice(k + 1, end + 1);
    if (k >= end || lead.length > 6 || asides.length > MAX_ASIDES || !lead.some(isName) || !lead.every((t) => this.nominal(t) || TITLES.has(t.key))) return null;
    const commas = asides.filter((t) => /,/.test(t.post)).length;
    // ("an independent voter raised in Chile", "a Lebanese man visiting Nice": a participle after a noun describes it.)
    const describing = (t: Token) => t.tags.has("Participle") || t.tags.has("Adjective") || t.tags.has("Hyphenated") || ((t.tags.has("PastTense") || t.tags.has("Gerund")) && this.tokens[t.index - 1].tags.has("Noun"));
    if (commas < 2 || asides.some((t) => t.quoted || (t.tags.has("Verb") && !describing(t)) || CLAUSE_WORDS.has(t.key))) return null;
    return lead;
  }

  /** The appositive up to its "of"/"at" unit ("Detective Sergeant Faa Vaaelua" of "… of Manurewa CIB"): the name heads it. */
  private nameBeforeUnit(appositive: Token[]): Token[] {
    const unit = appositive.findIndex((t, k) => k > 0 && ["of", "at", "from", "for"].includes(t.key));
    return unit > 0 ? appositive.slice(0, unit) : appositive;
  }

  /** Whether a dash (a spaced hyphen or en dash, or an em dash) follows a token. */
  private dashAfter(i: number): boolean {
    const next = this.tokens[i + 1];
    return next !== undefined && /\s[-\u2013]\s|[\u2014\u2015]/.test(this.body.slice(this.tokens[i].end, next.start));
  }

  phraseEndingAt(end: number, from: number, depth: number): Token[] {
    if (end < from) return [];
    let start = end;
    while (start - 1 >= from && this.joinsPhrase(start - 1) && !/[,;:]/.test(this.tokens[start - 1].post)) start--;
    let phrase = trim(this.tokens.slice(start, end + 1));
    // "After a brief adjournment the inspector said": an article after a noun opens a noun phrase of its own (not "of the").
    // (Not an initial: "Lt-Col A. K. Mathur".)
    const article = phrase.findLastIndex((t, k) => k > 0 && ["the", "a", "an"].includes(t.key) && !t.post.startsWith(".") && phrase[k - 1].tags.has("Noun") && !phrase[k - 1].tags.has("Possessive"));
    if (article > 0) phrase = phrase.slice(article);
    // "At the same time health authorities said", "In the past year officials said": a fronted time with no comma ends at its noun.
    const time = phrase.findIndex((t, i) => i < phrase.length - 1 && TIME_NOUNS.has(t.key) && !/^\p{Lu}/u.test(t.text));
    // (Fronted: the preposition opens the clause; not "Nurses on the night shift said".)
    if (time >= 0 && start - 1 === from && this.tokens[from].tags.has("Preposition") && !/[,;:]/.test(this.tokens[from].post)) return phrase.slice(time + 1);
    // "Experts close to the administration said": the phrase is an object; the subject comes before it.
    const before = this.tokens[start - 1];
    // ("A report to councillors says": the tagger may call that "to" a conjunction.)
    if (depth > 0 && before && start - 1 > from && (before.tags.has("Preposition") || (before.key === "to" && this.nominal(this.tokens[start - 2]))) && !/[,;:]/.test(this.tokens[start - 2].post)) {
      let k = start - 2;
      while (k > from && (this.tokens[k].tags.has("Adjective") || this.tokens[k].tags.has("Adverb"))) k--;
      // "… came after Lavrov accused …": the phrase opens a subordinate clause, it is no object.
      // (compromise may tag the verb before it a noun: "Shares rose after …", so the word is enough, "as" apart.)
      if (SUBORDINATORS.has(before.key) && (before.key !== "as" || !this.nominal(this.tokens[k])) && this.nominal(this.tokens[end])) return phrase;
      // "a meeting in which the minister reassured …": the tagger may call the relative pronoun a preposition.
      if (["which", "whom"].includes(before.key) && this.nominal(this.tokens[end])) return phrase;
      // "A spokesperson for the council said": the voice speaks for the institution after the preposition.
      if (VOICE_HEADS.has(this.tokens[k].key) && VOICE_LINKS.has(before.key) && this.nominal(this.tokens[end])) return phrase;
      // "Analysts at Raymond James reiterated", "researchers at the Kaiser Permanente Medical Center said": a firm's
      // analysts speak for the firm named.
      if (STAFF.has(this.tokens[k].key) && ["at", "from"].includes(before.key) && phrase.some((t) => /^\p{Lu}/u.test(t.text))) return phrase;
      // "The head of the Country Fire Authority Russell Rees said": an office of an institution, then the holder's name.
      // ("Leader of the Samagi Jana Balawegaya (SJB) Sajith Premadasa": the name after the institution's bracketed initials.)
      const bracketed = phrase.findIndex((_, i) => i > 0 && /\)/.test(phrase[i - 1].post));
      const given = phrase.findIndex((t) => t.tags.has("FirstName"));
      const holder = given > 0 && phrase.length - given >= 2 && phrase.slice(given).every((t) => t.tags.has("Person")) && phrase.slice(0, given).some((t) => /^\p{Lu}/u.test(t.text));
      if (OFFICES.has(this.tokens[k].key) && ["of", "at"].includes(before.key)) {
        if (holder) return phrase.slice(given);
        if (bracketed > 0 && namelike(phrase.slice(bracketed))) return phrase.slice(bracketed);
      }
      // "Private Hospitals Association of the Philippines Inc. (PHAPI) president Dr. Jose de Grano said": a role, then a
      // name, inside the phrase after the preposition names who spoke; the phrase is no object of the words before it.
      const role = phrase.findIndex((t, i) => i > 0 && !/^\p{Lu}/u.test(t.text) && TITLES.has(t.key) && /^\p{Lu}/u.test(phrase[i - 1].text));
      if (role > 0 && namelike(phrase.slice(role + 1))) return phrase.slice(role);
      return this.phraseEndingAt(k, from, depth - 1);
    }
    return this.nominal(this.tokens[end]) ? phrase : [];
  }

  /** Whether a subject starting at `start` (or its voice: "…, a spokesman for the council said") follows a comma after `first`. */
  afterComma(start: number, first: number): boolean {
    const at = this.voiceStart(start);
    return at > first && /,/.test(this.tokens[at - 1].post);
  }

  /** Where "a spokesman for" starts before the institution's phrase at `start` ("a spokesman for the council"), else `start`. */
  private voiceStart(start: number): number {
    const before = this.tokens[start - 1];
    if (!before || !["for", "of", "at", "from"].includes(before.key) || !VOICE_HEADS.has(this.tokens[start - 2]?.key ?? "")) return start;
    // ("a senior spokesman for": its modifiers and article too.)
    let k = start - 2;
    while (k > 0 && start - k < 6 && !/[,;:]/.test(this.tokens[k - 1].post) && (this.tokens[k - 1].tags.has("Determiner") || this.tokens[k - 1].tags.has("Adjective"))) k--;
    return k;
  }

  /** Forward noun phrase after an inverted verb: "said Matthew Brodsky on Tuesday". */
  phraseFrom(start: number): Token[] {
    const phrase: Token[] = [];
    for (let i = start; i < this.tokens.length && !this.tokens[i].quoted; i++) {
      // "said Williams who won just 12 points": a relative pronoun starts a clause of its own, comma or not.
      if (!this.joinsPhrase(i) || (phrase.length === 0 && !this.nominal(this.tokens[i])) || RELATIVES.has(this.tokens[i].key)) break;
      phrase.push(this.tokens[i]);
      // "Coun. Anna Hopkins": the full stop of an abbreviated title does not end the phrase.
      const abbreviated = this.tokens[i].tags.has("Abbreviation") || TITLE_ABBREVIATIONS.has(this.tokens[i].key);
      if (/[,;:.!?]/.test(this.tokens[i].post.replace(/^\.(?=\s)/, abbreviated ? "" : "."))) break;
    }
    return trim(phrase);
  }

  nominal(token: Token): boolean {
    return !token.quoted && !token.tags.has("Verb") && !token.tags.has("Date") && NOMINAL.some((tag) => token.tags.has(tag));
  }

  /**
   * Nominal, or "of"/"for"/"in" between capitalised words ("Department of Defense", "Embassy in Baghdad"), or "and"
   * between them after such a preposition ("Centers for Disease Control and Prevention"; "Smith and Jones" stay two).
   */
  joinsPhrase(i: number): boolean {
    const token = this.tokens[i];
    // ("His campaign said": a possessive pronoun is the phrase's determiner.)
    if (this.nominal(token) && (!token.tags.has("Pronoun") || OWNING.has(token.key))) return true;
    // "The first-year NBL coach", "the two-time champion": a hyphenated modifier, numbers and dates in it too.
    const next = this.tokens[i + 1];
    if (token.tags.has("Hyphenated") && !token.quoted && !token.tags.has("Verb") && (token.post.trim() === "-" || (next && this.nominal(next)))) return true;
    const capital = (t?: Token) => Boolean(t && /^\p{Lu}/u.test(t.text));
    if (!capital(this.tokens[i - 1]) || !capital(this.tokens[i + 1]) || /[,;:]/.test(this.tokens[i - 1].post)) return false;
    if (token.key === "and") return [2, 3, 4].some((k) => ["of", "for"].includes(this.tokens[i - k]?.key ?? "") && this.tokens.slice(i - k + 1, i).every(capital));
    return ["of", "for", "in"].includes(token.key);
  }
}

/** Two or more capitalised words after any titles ("Dr Ifedayo Adetifa"): a name compromise does not know. */
/** Tokens of asides a subject's name may carry before its verb ("Ramil Carr, 31, a Philadelphia freelance photographer,"). */
const MAX_ASIDES = 30;
/** Words that open a clause of their own inside the asides: then they are no asides. */
const CLAUSE_WORDS = new Set(["who", "whose", "which", "that", "and", "but", "while", "when", "because", "if"]);

function namelike(tokens: Token[]): boolean {
  // ("Jose de Grano": a lower-case particle inside the name is part of it.)
  const words = tokens.filter((t, i) => !TITLES.has(t.key) && !t.tags.has("Honorific") && !(i > 0 && i < tokens.length - 1 && NAME_PARTICLES.has(t.text)));
  return words.length >= 2 && words.every((t) => /^\p{Lu}/u.test(t.text) && (t.tags.has("ProperNoun") || t.tags.has("Noun")) && !t.tags.has("Place") && !t.tags.has("Organization"));
}

const isName = (t: Token) => /^\p{Lu}/u.test(t.text) && !TITLES.has(t.key) && !t.tags.has("Honorific") && (t.tags.has("Person") || t.tags.has("FirstName") || t.tags.has("LastName"));

function trim(phrase: Token[]): Token[] {
  let end = phrase.length;
  // "Officials familiar said" loses its adjective; "The firm said", "the official said" keep the word
  // compromise calls an adjective, which a determiner makes the head noun.
  while (end > 1 && phrase[end - 1].tags.has("Adjective") && !phrase[end - 1].tags.has("ProperNoun") && !(end === 2 && phrase[0].tags.has("Determiner"))) end--;
  return phrase.slice(0, end);
}

/** "Senate Republicans negotiating a bill with Democrats": the subject ends before the participle. */
/** "Ont.-based" (one token) or "California" "-" "based" (two, as the tagger splits some): a place's "-based". */
export const placeBased = (tokens: Token[], i: number) => /-based$/i.test(tokens[i].text) || (tokens[i].key === "based" && tokens[i - 1]?.post === "-");

/** Which of the phrase's tokens stand between "(" and ")" (the tagger keeps brackets as a word's pre and post): one pass. */
function inBrackets(phrase: Token[]): boolean[] {
  const inside: boolean[] = [];
  let open = false;
  for (const t of phrase) {
    inside.push(open || t.pre.includes("("));
    if (t.post.includes(")")) open = false;
    else if (t.pre.includes("(") || t.post.includes("(")) open = true;
  }
  return inside;
}

export function trimModifiers(phrase: Token[]): Token[] {
  // "SAN FRANCISCO (Bloomberg) - Apple Inc.": a dateline before a spaced dash is no part of the name; nor is "California-based"
  // ("Cupertino, California-based Apple"), nor a stray quotation mark the tagger took for a word ("…, ” the CS said").
  const cut = phrase.findLastIndex((t, i) => i < phrase.length - 1 && (/\s(?:--?|[–—])\s/.test(t.post) || placeBased(phrase, i) || /^[“”"‘’«»„]+$/.test(t.text)));
  if (cut >= 0) phrase = phrase.slice(cut + 1);
  // "M Chandrasekar (Ward 28)", "Environmental Defence Society (EDS) chair Gary Taylor": words in brackets are no part of a name.
  const bracketed = inBrackets(phrase);
  phrase = phrase.filter((_, i) => i === 0 || !bracketed[i]);
  // "The schedule that Moss set": "that" after a noun opens a relative clause (the phrase stops at "which" and "who" already).
  const relative = phrase.findIndex((t, i) => i > 0 && t.key === "that" && !t.quoted);
  if (relative > 0) phrase = phrase.slice(0, relative);
  // ("Kuan Bi-ling": an -ing syllable after a hyphen is part of a name; "RAC motoring strategist Adrian Tink", "the
  // managing director": one of the few that modify an office is part of the description, but "Lawyers representing
  // President Donald Trump" are not Trump.)
  const modifies = (i: number) => OFFICE_MODIFIERS.has(phrase[i].key) && !phrase[i].post.trim() && Boolean(phrase[i + 1]?.tags.has("Actor") || TITLES.has(phrase[i + 1]?.key ?? ""));
  const participle = phrase.findIndex((t, i) => i > 0 && !/^\p{Lu}/u.test(t.text) && /ing$/.test(t.key) && !t.tags.has("Adjective") && phrase[i - 1].post !== "-" && !modifies(i));
  return participle > 0 ? phrase.slice(0, participle) : phrase;
}
