import type { ClaimKind } from "../generated/prisma/client";
import { calibrate, evidenceFor, place, type Evidence } from "./confidence";
import { AfterVerb } from "./afterVerb";
import { attributionOnly, denies, hasContent, insideReported, interrupts, raisesPossibility, subordinate, subordinateEnd, topicOnly } from "./content";
import { accordingTo } from "./according";
import { coordinated, coordinatedCue, directive, handsOn, handsOverQuote, isReportVerb, namesAs, nominalGerund, perName, progressive } from "./cues";
import { ALLEGATION_VERBS, ASKING_VERBS, EVIDENCE_VERBS, QUOTE_VERBS, REPORT_VERBS, SETTING, SUBORDINATE_OPENERS } from "./lexicon";
import { People } from "./people";
import { Phrases, type Clause } from "./phrases";
import type { ProposalPattern } from "./service";
import { SpeakerResolver, type CatalogueSource, type Speaker } from "./speakers";
import { Subjects } from "./subjects";
import { dedupe } from "./overlap";
import { embedded, innerSpan, nextQuoteOpen, opensParagraph, predicateQuote, previousQuoteClose } from "./quoteSpans";
import { asks, quotedOrderOrQuestion } from "./orders";
import { ownNounSaying } from "./participles";
import { analyse, lastTokenBy, lowerBound, type AnalysedText, type QuoteSpan, type Token, type Unit } from "./text";

/**
 * Finds attributed claims in news copy, in the manner of BBC R&D's Citron: direct quotes (words in
 * quotation marks tied to a speaker by a verb of communication, "according to", a colon, or the
 * speaker of the paragraph before), mixed quotes (a few quoted words inside the reporter's clause) and
 * indirect speech ("X said that …", "X warned …"). Sentences, tokens, parts of speech and person names
 * come from compromise; the rules over them are general newswriting conventions, not tuned to any one
 * article. A pure function of the body and the catalogue.
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

export function extractProposals(body: string, sources: CatalogueSource[]): RawProposal[] {
  return extractWithEvidence(body, sources).map(({ evidence: _, ...p }) => p);
}

/** The proposals with the evidence their confidence was computed from (for fitting the calibration). */
export function extractWithEvidence(body: string, sources: CatalogueSource[]): (RawProposal & { evidence: Evidence })[] {
  const text = analyse(body);
  const starts = new Set(text.units.flatMap((u) => [u.first, text.tokens.slice(u.first, u.last + 1).find((t) => !t.quoted)?.index ?? u.first]));
  const found: Found[] = [];
  const extraction = new Extraction(text, new SpeakerResolver(sources, text.tokens, new People(text.tokens, starts)), found);
  text.units.forEach((unit, index) => extraction.unit(unit, index));
  place(found, text.tokens);
  return dedupe(found.map((p) => ({ ...p, confidence: calibrate(p.evidence) }))).map((p) => ({ ...p, text: body.slice(p.start, p.end) }));
}

export type Found = Omit<RawProposal, "text" | "confidence"> & { evidence: Evidence };

class Extraction {
  /** The last speaker of each paragraph, for quotes continued without a new attribution. */
  private readonly lastSpeaker = new Map<number, Speaker>();
  /** Sentences that only attribute the quotation before them ("“…” The coach continued."). */
  private readonly consumed = new Set<number>();
  private readonly usedVerbs = new Set<number>();
  /** Clauses an indirect proposal's content already runs through. */
  private readonly absorbed = new Set<Clause>();
  /** Where this sentence's proposals start in `out` (a scan of all of them for every verb was quadratic in a long body's). */
  private unitFound = 0;
  private readonly body: string;
  private readonly tokens: Token[];
  private readonly phrases: Phrases;
  private readonly afterVerb: AfterVerb;
  private readonly subjects: Subjects;

  constructor(
    private readonly text: AnalysedText,
    private readonly resolver: SpeakerResolver,
    private readonly out: Found[],
  ) {
    this.body = text.body;
    this.tokens = text.tokens;
    this.phrases = new Phrases(text.body, text.tokens);
    this.afterVerb = new AfterVerb(text.tokens, this.phrases, resolver);
    this.subjects = new Subjects(text.tokens, this.phrases, resolver);
  }

  unit(unit: Unit, index: number) {
    if (this.consumed.has(index)) return;
    this.unitFound = this.out.length;
    const clauses = this.phrases.clauses(unit);
    const covered = new Set<Clause>();
    const inClause = unit.quotes.filter((q) => embedded(this.body, q) || this.contentBefore(unit, q) || predicateQuote(this.body, this.tokens, unit, q, (t) => t.key === "according" || QUOTE_VERBS.has(t.lemma)));
    for (const quote of unit.quotes) if (!inClause.includes(quote)) this.direct(unit, index, quote);
    for (const clause of clauses) if (this.passive(unit, clause)) covered.add(clause);
    clauses.forEach((clause, i) => {
      if (covered.has(clause)) return;
      const quotes = inClause.filter((q) => this.tokens[clause.from].start <= q.open && q.open <= this.tokens[clause.to].end);
      if (quotes.length && this.mixed(unit, clauses, i, quotes)) covered.add(clause);
    });
    // "The DPP condemns the KMT for …, DPP spokesman Ho Po-wen said.": a sentence closed by its attribution is all that
    // speaker's, a verb of saying before it part of what was said (found once per sentence: it may have 1000s of clauses).
    const closing = this.subjects.closingAttribution(unit);
    for (const clause of clauses) if (!covered.has(clause) && !this.absorbed.has(clause)) this.indirect(unit, clauses, clause, closing);
  }

  private direct(unit: Unit, index: number, quote: QuoteSpan) {
    const span = innerSpan(this.body, quote);
    if (!span || !/\p{L}.*\p{L}/u.test(this.body.slice(span.start, span.end))) return;
    // An order or a question is no claim, but its speaker is who the paragraph's next quotation goes on from.
    const inside = this.tokens.slice(unit.first, unit.last + 1).filter((t) => t.start >= span.start && t.end <= span.end);
    const noClaim = quotedOrderOrQuestion(inside);
    let speaker: Speaker | null = null;
    let cue: Evidence["cue"] = "VERB";
    const after = this.outside(unit, quote.close, nextQuoteOpen(this.tokens, unit, quote));
    const before = this.outside(unit, previousQuoteClose(this.tokens, unit, quote), quote.open);
    // A full stop inside the marks ends the sentence: what follows is not its attribution ("…cut.” She urged …),
    // unless the next sentence is nothing but one ("…give up.” The head coach continued."), or a comma or lower case goes on.
    const closed = /\.\s*$/.test(this.body.slice(quote.open + 1, quote.close)) && !/^(?:,|\s*\p{Ll})/u.test(this.body.slice(quote.close + 1, quote.close + 3));
    const verbAfter = closed ? null : this.subjects.cueAfter(after);
    if (verbAfter !== null) {
      this.usedVerbs.add(verbAfter);
      speaker = this.subjects.ofCue(after, verbAfter);
    } else if (before.length && /[:,]\s*$/.test(this.body.slice(before.at(-1)!.end, quote.open))) {
      const verb = before.findLast((t) => handsOverQuote(this.tokens, t))?.index;
      if (verb !== undefined) {
        // "Hale said the plan was dead, adding: “…”": the participle carries the quote, the verb its own clause.
        const adding = before.findLast((t) => t.index > verb && t.tags.has("Gerund") && QUOTE_VERBS.has(t.lemma));
        this.usedVerbs.add(adding?.index ?? verb);
        speaker = this.subjects.ofCue(before, verb);
      } else {
        const handing = this.subjects.handingOver(unit, before);
        if (handing) this.usedVerbs.add(handing.verb);
        speaker = handing?.speaker ?? (/:\s*$/.test(this.body.slice(before.at(-1)!.end, quote.open)) ? this.subjects.ofColon(before) : null);
      }
    }
    if (!speaker && closed && after.length === 0) speaker = this.bareAttribution(unit, index);
    if (!speaker && verbAfter === null) {
      const according = accordingTo(this.tokens, this.phrases, this.resolver, unit);
      if (according) [speaker, cue] = [according, "ACCORDING_TO"];
    }
    if (!speaker && verbAfter === null) {
      const alone = opensParagraph(this.tokens, quote) && !this.hasVerbOutside(unit, quote);
      const previous = this.lastSpeaker.get(quote.paragraph) ?? (alone ? this.previousParagraphSpeaker(quote.paragraph) : null);
      if (previous) [speaker, cue] = [{ ...previous, resolution: "CONTINUATION" }, "CONTINUATION"];
    }
    if (!speaker) return;
    // (Not a question's someone was asked: "“Will you resign?” Beth Rigby asked the prime minister. “I have done nothing
    // wrong.”"; but "“Why's he attacking me?” Trump said. “He's got to …”" goes on.)
    const asked = verbAfter !== null && ASKING_VERBS.has(this.tokens[verbAfter].lemma);
    if (noClaim && !(asks(inside) && asked)) this.lastSpeaker.set(quote.paragraph, speaker);
    else if (noClaim) this.lastSpeaker.delete(quote.paragraph);
    else this.push({ ...span, pattern: "DIRECT", speaker, kind: "DIRECT_QUOTE" }, evidenceFor("DIRECT", cue, speaker, this.body, span));
  }

  /**
   * Quoted words inside the reporter's clause, one proposal per verb that carries them: "welcomed what
   * he described as a “constructive move” and told MPs that “…”" is two. A participle ("Calling the
   * conduct a “breach,” Lo said …", "…, citing “traumatic imagery”") speaks for the sentence's subject.
   * Returns whether the clause is taken (a participle leaves the rest to the reported clause).
   */
  private mixed(unit: Unit, clauses: Clause[], index: number, quotes: QuoteSpan[]): boolean {
    const clause = clauses[index];
    const according = accordingTo(this.tokens, this.phrases, this.resolver, unit);
    if (according) {
      const span = { start: this.tokens[clause.from].start, end: Math.min(this.body.length, Math.max(this.phrases.clauseEnd(clause), quotes.at(-1)!.close + 1)) };
      this.push({ ...span, pattern: "MIXED", speaker: according, kind: "PARTIAL_QUOTE" }, evidenceFor("MIXED", "ACCORDING_TO", according, this.body, span));
      return true;
    }
    const outside = this.phrases.range(clause).filter((t) => !t.quoted);
    // (Not a verb inside another's content clause, "She said that the department maintained “…”" is hers; but "The
    // indictment alleges that Hale told investors “…”" are Hale's words, plainly said.)
    const finite = outside.filter((t) => isReportVerb(this.tokens, t.index, QUOTE_VERBS) && (["say", "tell"].includes(t.lemma) || !insideReported(this.tokens, this.phrases.subjectPhrase(unit.first, t.index))));
    // Not one inside a verb of saying's content ("claimed families hear the quarry blasting “every day”"): a participle cue after that verb is set off by a comma, or is "adding".
    const participles = outside.filter((t) => t.tags.has("Gerund") && QUOTE_VERBS.has(t.lemma) && t.index > clause.from - 1 && (t.lemma === "add" || /,/.test(this.tokens[t.index - 1]?.post ?? "") || !finite.some((f) => f.index < t.index)));
    const verbOf = (q: QuoteSpan) => [...finite, ...participles].filter((t) => t.start < q.open).sort((x, y) => y.start - x.start)[0] ?? finite[0];
    const groups: { verb: Token; quotes: QuoteSpan[] }[] = [];
    for (const q of quotes) {
      const verb = verbOf(q);
      // Nobody speaking (scare quotes, titles), advice or an order ("Advising the Congress to “inform …”", "called on the council to … “find a solution”"), a topic ("Speaking of the killers of “a brave man,”").
      if (!verb || directive(this.tokens, verb) || (verb.tags.has("Gerund") && ["speak", "talk"].includes(verb.lemma))) continue;
      if (groups.at(-1)?.verb === verb) groups.at(-1)!.quotes.push(q);
      else groups.push({ verb, quotes: [q] });
    }
    let taken = false;
    groups.forEach((group, g) => {
      const participle = group.verb.tags.has("Gerund");
      // The participle's subject is the nearest finite verb's before it ("Patton requested …, citing"), else the one after ("Calling …, Lo said").
      const finiteVerbs = this.tokens.slice(unit.first, unit.last + 1).filter((t) => !t.quoted && t.tags.has("Verb") && !t.tags.has("Gerund") && !t.tags.has("Auxiliary"));
      // "Lo said Russia wanted …, describing it as “…”": a participle set off by a comma (not "MPs asking …"), or "adding", speaks through the verb of saying before it.
      const sayingBefore = participle && (/,/.test(this.tokens[group.verb.index - 1]?.post ?? "") || group.verb.lemma === "add") ? finiteVerbs.findLast((t) => t.index < group.verb.index && isReportVerb(this.tokens, t.index, REPORT_VERBS)) : undefined;
      const mainVerb = participle ? (sayingBefore ?? finiteVerbs.findLast((t) => t.index < group.verb.index) ?? finiteVerbs.find((t) => t.index > group.verb.index)) : group.verb;
      if (!mainVerb) return; // ("BP is “highlighting stronger trading,” said Iain Reid, an analyst": a speaker after the verb.)
      const inverted = !participle && group.verb.start > group.quotes.at(-1)!.close ? this.afterVerb.inverted(unit, group.verb) : null;
      const speaker = participle ? this.subjects.of(clauses, clauses.findIndex((c) => c.from <= mainVerb.index && mainVerb.index <= c.to), mainVerb.index) : (inverted ?? this.subjects.of(clauses, index, group.verb.index) ?? this.coordinatedSpeaker(unit, group.verb));
      if (!speaker) return;
      this.usedVerbs.add(group.verb.index);
      const ownSubject = !participle && this.phrases.subjectPhrase(clause.from, group.verb.index).length > 0;
      const start = g > 0 || participle ? group.verb.start : this.tokens[ownSubject || index === 0 ? (index === 0 ? unit.first : clause.from) : group.verb.index].start;
      const lastQuote = group.quotes.at(-1)!;
      const later = finite.find((t) => t.start > lastQuote.close);
      const next = groups[g + 1];
      let end = Math.max(this.phrases.clauseEnd(clause), Math.min(lastQuote.close + 1, this.body.length));
      if (next) end = lastTokenBy(this.tokens, next.verb.start, (t) => !["and", "but"].includes(t.key))!.end;
      // A full stop inside the last marks ends the sentence ("said “FIFA” has remained “a robust franchise.” “…,” he said.").
      else if ((participle && later) || /[.!?]\s*$/.test(this.body.slice(lastQuote.open + 1, lastQuote.close))) end = Math.min(lastQuote.close + 1, this.body.length);
      // "…charged at the cruiser “with a knife,” and began banging …": the content runs on through clauses with no attribution of their own.
      else if (!participle) for (let c = index + 1; c < clauses.length && !this.attributes(unit, clauses[c]); c++) [end] = [this.phrases.clauseEnd({ from: clause.from, to: clauses[c].to }), this.absorbed.add(clauses[c])];
      // "dismissed allegations of two “suspicious” aircraft, describing them as baseless": a participle of saying after a comma is a claim of its own, left to `indirect`.
      const handover = participle || next ? undefined : participles.find((t) => t.start > lastQuote.close && t.end <= end && /,/.test(this.tokens[t.index - 1].post));
      if (handover) end = Math.max(this.tokens[handover.index - 1].end, lastQuote.close + 1);
      // A participle after a verb of saying leaves that verb's reported clause to `indirect`.
      taken ||= !(participle && (later || sayingBefore)) && !handover;
      this.push({ start, end, pattern: "MIXED", speaker, kind: "PARTIAL_QUOTE" }, evidenceFor("MIXED", "VERB", speaker, this.body, { start, end }));
    });
    return taken;
  }

  /** A passive of naming or judging: "The plan was branded “reckless” by the union". */
  private passive(unit: Unit, clause: Clause): boolean {
    const lead = clause.from === unit.first ? this.afterVerb.lead(unit) : null;
    const found = lead ?? this.afterVerb.passive(unit, clause) ?? this.afterVerb.quotedAs(unit, clause) ?? this.afterVerb.told(unit, clause, this.lastSpeaker.get(unit.paragraph) ?? this.lastSpeaker.get(unit.paragraph - 1));
    if (!found) return false;
    const { verb, speaker, start, end, quoted } = found;
    const [pattern, kind] = quoted ? (["MIXED", "PARTIAL_QUOTE"] as const) : (["INDIRECT", "PARAPHRASE"] as const);
    this.usedVerbs.add(verb);
    this.push({ start, end, pattern, speaker, kind }, evidenceFor(pattern, "VERB", speaker, this.body, { start, end }));
    return !lead; // The lead leaves its sentence's main clause to the other rules.
  }

  private indirect(unit: Unit, clauses: Clause[], clause: Clause, closing: number) {
    const index = clauses.indexOf(clause);
    const according = unit.quotes.length === 0 ? accordingTo(this.tokens, this.phrases, this.resolver, unit) : null;
    if (according && this.phrases.range(clause).some((t) => t.key === "according" || perName(this.tokens, t.index))) {
      const span = this.unitSpan(unit);
      this.push({ ...span, pattern: "INDIRECT", speaker: according, kind: "PARAPHRASE" }, evidenceFor("INDIRECT", "ACCORDING_TO", according, this.body, span));
      return;
    }
    // The clause's first finite verb so far, kept as the loop goes (a search at every word was quadratic: "x. " x 20,000).
    let finiteBefore: Token | undefined;
    for (const token of this.phrases.range(clause)) {
      const finite = finiteBefore;
      if (!finiteBefore && token.tags.has("Verb") && !token.tags.has("Gerund") && !token.tags.has("Auxiliary") && !token.quoted) finiteBefore = token;
      if (token.quoted || this.usedVerbs.has(token.index) || directive(this.tokens, token) || token.index < closing) continue;
      // "opened the Senate announcing a test vote": a participle speaks for the clause's subject.
      const participle = token.tags.has("Gerund") && REPORT_VERBS.has(token.lemma) && finite !== undefined && !progressive(this.tokens, token) && !nominalGerund(this.tokens, token);
      if (!participle && !isReportVerb(this.tokens, token.index, REPORT_VERBS) && !raisesPossibility(this.tokens, token) && !namesAs(this.tokens, token)) continue;
      const rest = this.phrases.range({ from: token.index + 1, to: clause.to });
      const handsOnCue = !participle && handsOn(this.tokens, token);
      if ((!hasContent(token, rest) && !handsOnCue) || (participle && topicOnly(token, rest))) continue;
      const inverted = participle ? null : this.afterVerb.inverted(unit, token);
      const own = participle ? ownNounSaying(this.tokens, this.phrases, token) : null;
      const speaker = inverted ?? (own && this.resolver.plausible(own) ? this.resolver.resolve(own) : participle ? this.subjects.ofParticiple(clauses, index, token) : (this.subjects.of(clauses, index, token.index) ?? this.coordinatedSpeaker(unit, token)));
      if (!speaker) continue;
      // "…, officials said." / "…, as the paper reported in May": the attribution covers the whole sentence.
      const subject = this.phrases.subjectPhrase(clause.from, token.index);
      // "a jury found Hernandez killed …" is a verdict, an event rather than a claim.
      if (EVIDENCE_VERBS.has(token.lemma) && ["jury", "court", "judge", "panel", "tribunal"].includes(subject.at(-1)?.key ?? "")) continue;
      const opener = this.tokens[(subject[0]?.index ?? token.index) - 1]; // ("When X responded, Y said …"; not "…, when X said")
      if (["if", "whether", "unless", "where"].includes(opener?.key ?? "") || (opener?.key === "when" && opener.index === unit.first) || insideReported(this.tokens, subject)) continue;
      const lead = inverted ? this.tokens.slice(unit.first, token.index).filter((t) => !t.quoted) : subject.length > 0 ? this.tokens.slice(unit.first, subject[0].index).filter((t) => !t.quoted) : [];
      // "…, officials said" (not "… in Bauchi and Taraba states"), "…, a spokesman for X said": subject or voice after a comma.
      const afterComma = subject.length > 0 && this.phrases.afterComma(subject[0].index, unit.first);
      const onlySetting = rest.every((t) => SETTING.has(t.key) || t.tags.has("Date") || t.tags.has("Preposition") || t.tags.has("Determiner"));
      // (Not a verb handing over with a colon, "On Friday, Rovers said:"; nor "After the plan failed, Berg said, adding …".)
      const closesBefore = handsOnCue && afterComma && !SUBORDINATE_OPENERS.has(this.tokens[unit.first].key);
      if (!closesBefore && !hasContent(token, rest)) continue;
      const parenthetical = inverted !== null || ((index > 0 || afterComma) && (index === clauses.length - 1 || closesBefore || interrupts(this.tokens, token, clause)) && !/:/.test(token.post) && (this.tokens[clause.from].key === "as" || onlySetting || closesBefore) && !subordinate(this.tokens, subject[0]?.index ?? token.index));
      if (!parenthetical && rest.every((t) => SETTING.has(t.key) || t.tags.has("Date") || t.tags.has("Preposition"))) continue;
      // "…, X News reported.": nothing but the attribution.
      if (parenthetical && lead.length < 3) continue;
      const ownSubject = subject.length > 0;
      // A sentence-opening quotation next to the reported clause is a claim of its own: stop at it.
      const quoteBefore = unit.quotes.filter((q) => q.close < token.start && !embedded(this.body, q)).at(-1);
      const quoteAfter = unit.quotes.find((q) => q.open > token.end && !embedded(this.body, q));
      const from = participle ? token.start : parenthetical || index === 0 ? this.tokens[unit.first].start : this.tokens[ownSubject ? this.phrases.clauseStart(clause) : token.index].start;
      // Not over a proposal already made in this sentence ("Calling X a “breach,” Lo said …").
      const earlier = this.out.slice(this.unitFound).filter((p) => p.end <= token.start && p.end > this.tokens[unit.first].start).map((p) => p.end);
      const start = Math.max(from, quoteBefore ? this.tokenFrom(quoteBefore.close + 1).start : 0, ...earlier.map((e) => this.tokenFrom(e).start));
      // The reported content runs on through clauses with no attribution of their own ("…, but he wanted …").
      let last = index;
      while (!parenthetical && last + 1 < clauses.length && !this.attributes(unit, clauses[last + 1])) last++;
      let end = closesBefore ? token.end : parenthetical ? this.unitSpan(unit).end : this.phrases.clauseEnd({ from: clause.from, to: clauses[last].to });
      // Not over a proposal made later in this sentence ("…, describing the talks as “difficult”"), nor ending on a
      // conjunction or a participle handing over to what follows ("…, adding: “…”").
      const following = this.out.slice(this.unitFound).find((p) => p.start > token.end && p.start < end);
      const lastBefore = (offset: number) => lastTokenBy(this.tokens, offset, (t) => !["and", "but"].includes(t.key) && !(t.tags.has("Gerund") && QUOTE_VERBS.has(t.lemma)))!;
      if (following) end = lastBefore(following.start).end;
      // "criticised the way it was handled saying there were 'no winners'": the participle cue is a claim of its own.
      const trailing = participle ? undefined : this.phrases.range({ from: token.index + 2, to: clause.to }).find((t) => this.trailingCue(t) && t.start < end);
      if (trailing) end = this.tokens[trailing.index - 1].end;
      // "confirmed the call, telling reporters he …": with nothing said before the participle, the participle carries the claim.
      if (trailing && !denies(token, rest) && !this.phrases.range({ from: token.index + 1, to: trailing.index - 1 }).some((t) => t.key === "that" || (t.tags.has("Verb") && !t.tags.has("Gerund")))) continue;
      if (quoteAfter && quoteAfter.open < end) end = this.phrases.clauseEnd({ from: clause.from, to: lastBefore(quoteAfter.open).index });
      const fronted = subject.length > 0 ? subordinateEnd(this.tokens, unit.first, subject[0].index, token, end) : undefined;
      if (fronted) end = fronted.end; // (and the main clause after it is looked at next, below)
      if (end <= start || (parenthetical && attributionOnly(this.tokens, start, end, token, subject))) continue;
      const nonverbal = (token.lemma === "reply" || token.lemma === "respond") && rest[0]?.key === "with";
      const kind: ClaimKind = nonverbal ? "NONVERBAL" : ALLEGATION_VERBS.has(token.lemma) ? "ALLEGATION" : "PARAPHRASE";
      this.usedVerbs.add(token.index);
      const second = parenthetical ? undefined : coordinatedCue(this.tokens, token, end, REPORT_VERBS, (t) => !this.usedVerbs.has(t.index));
      const firstEnd = second ? lastBefore(second.start).end : end;
      this.push({ start, end: firstEnd, pattern: "INDIRECT", speaker, kind }, evidenceFor("INDIRECT", parenthetical ? "PARENTHETICAL" : "VERB", speaker, this.body, { start, end: firstEnd }));
      if (second && hasContent(second, this.tokens.slice(second.index + 1, lowerBound(this.tokens, (t) => t.end > end)))) {
        this.usedVerbs.add(second.index);
        const secondKind: ClaimKind = ALLEGATION_VERBS.has(second.lemma) ? "ALLEGATION" : "PARAPHRASE";
        this.push({ start: second.start, end, pattern: "INDIRECT", speaker, kind: secondKind }, evidenceFor("INDIRECT", "VERB", speaker, this.body, { start: second.start, end }));
      }
      for (let c = index + 1; c <= last; c++) this.absorbed.add(clauses[c]);
      // After "…, X said, adding …" the participle's claim follows; after "…, X said, and …" nothing of X's.
      if (!trailing && !fronted && !(closesBefore && this.tokens[token.index + 1].tags.has("Gerund"))) return;
    }
  }

  /** A participle of saying after a verb or a comma ("…, suggesting that", "handled saying"), not after its own noun ("MPs asking"). */
  private trailingCue(t: Token): boolean {
    const before = this.tokens[t.index - 1];
    return !t.quoted && !this.usedVerbs.has(t.index) && t.tags.has("Gerund") && REPORT_VERBS.has(t.lemma) && !progressive(this.tokens, t) && (/,/.test(before.post) || before.tags.has("Verb") || before.tags.has("Adverb"));
  }

  /** Whether a clause has an attribution of its own: a verb of saying, "according to", or a quotation. */
  private attributes(unit: Unit, clause: Clause): boolean {
    // "alleged that X had taken a bribe, and that the contractor had admitted …": a second "that" clause is more of the content.
    if (["and", "but"].includes(this.tokens[clause.from].key) && this.tokens[clause.from + 1]?.key === "that") return false;
    return this.phrases.range(clause).some((t) => !t.quoted && (t.key === "according" || perName(this.tokens, t.index) || isReportVerb(this.tokens, t.index, REPORT_VERBS) || ownNounSaying(this.tokens, this.phrases, t) !== null)) ||
      unit.quotes.some((q) => !embedded(this.body, q) && q.open >= this.tokens[clause.from].start && q.open <= this.tokens[clause.to].end);
  }

  /** "Police said they were “fed up” and described him as an “erratic man”": a verb after "and"/"but" with no subject speaks for the sentence's last speaker. */
  private coordinatedSpeaker(unit: Unit, verb: Token): Speaker | null {
    if (!coordinated(this.tokens, verb.index, unit.first)) return null;
    const last = this.out.at(-1);
    return last && last.start >= this.tokens[unit.first].start && last.end <= verb.start ? last.speaker : null;
  }

  private push(p: Omit<Found, "evidence">, evidence: Evidence) {
    const paragraph = this.tokens[lowerBound(this.tokens, (t) => t.start >= p.start)]?.paragraph ?? 0;
    this.lastSpeaker.set(paragraph, p.speaker);
    this.resolver.noteSpeaker(p.speaker, paragraph, p.end);
    this.out.push({ ...p, evidence });
  }

  /** "“…” The Islanders’ head coach continued.": a next sentence made of a subject and a verb of saying only. */
  private bareAttribution(unit: Unit, index: number): Speaker | null {
    const next = this.text.units[index + 1];
    if (!next || next.paragraph !== unit.paragraph || next.quotes.length > 0) return null;
    const tokens = this.tokens.slice(next.first, next.last + 1);
    const verb = tokens.findIndex((t) => isReportVerb(this.tokens, t.index, QUOTE_VERBS));
    if (verb < 0 || !tokens.slice(verb + 1).every((t) => SETTING.has(t.key) || t.tags.has("Date") || t.tags.has("Preposition") || t.tags.has("Determiner"))) return null;
    const speaker = this.subjects.ofCue(tokens, tokens[verb].index);
    if (speaker) {
      this.consumed.add(index + 1);
      this.usedVerbs.add(tokens[verb].index);
    }
    return speaker;
  }

  /** The speaker of the paragraph before, for a quotation paragraph with no attribution of its own. */
  private previousParagraphSpeaker(paragraph: number): Speaker | null {
    const spoken = this.lastSpeaker.get(paragraph - 1);
    if (spoken) return spoken;
    const units = this.text.units.filter((u) => u.paragraph === paragraph - 1);
    const intro = units.at(-1);
    if (!intro || units.some((u) => u.quotes.length > 0)) return null;
    // "O’Callaghan was visibly devastated by this crushing defeat." and no quotation: the person the paragraph opens on.
    if (!/:\s*$/.test(this.tokens[intro.last].post)) {
      const verb = this.tokens.slice(units[0].first, units[0].last + 1).find((t) => t.tags.has("Verb"));
      const subject = verb ? this.resolver.resolve(this.phrases.subjectPhrase(units[0].first, verb.index)) : null;
      return subject?.kind === "PERSON" ? subject : null;
    }
    // "Psaki's full statement:" — a paragraph introducing the quotation with a colon.
    const tokens = this.tokens.slice(intro.first, intro.last + 1);
    const verb = tokens.find((t) => isReportVerb(this.tokens, t.index, QUOTE_VERBS));
    return verb ? this.subjects.ofCue(tokens, verb.index) : this.resolver.resolve(this.phrases.phraseFrom(intro.first));
  }

  /** Whether the quotation's sentence has a verb outside the marks (then it is not a bare continuation). */
  private hasVerbOutside(unit: Unit, quote: QuoteSpan): boolean {
    return this.tokens.slice(unit.first, unit.last + 1).some((t) => !t.quoted && (t.start > quote.close || t.end < quote.open) && t.tags.has("Verb") && !t.tags.has("Auxiliary"));
  }

  /** A quotation after a reported clause ("Houle said the penalty was appropriate, “choices of …”"). */
  private contentBefore(unit: Unit, quote: QuoteSpan): boolean {
    if (!/,\s*$/.test(this.body.slice(Math.max(0, quote.open - 3), quote.open))) return false;
    const before = this.outside(unit, previousQuoteClose(this.tokens, unit, quote), quote.open);
    const verb = before.findLast((t) => isReportVerb(this.tokens, t.index, REPORT_VERBS));
    if (!verb) return false;
    const content = before.filter((t) => t.index > verb.index && !SETTING.has(t.key) && !t.tags.has("Date") && !t.tags.has("Preposition") && !t.tags.has("Determiner"));
    return content.length >= 3;
  }

  /** The first token starting at or after an offset (offsets are integers: `close + 1` is "after close"). */
  private tokenFrom(offset: number): Token {
    return this.tokens[lowerBound(this.tokens, (t) => t.start >= offset)];
  }

  private unitSpan(unit: Unit) {
    return { start: this.tokens[unit.first].start, end: this.phrases.clauseEnd({ from: unit.first, to: unit.last }) };
  }

  /** Tokens of a sentence outside quotation marks, between two offsets. */
  private outside(unit: Unit, from: number, to: number): Token[] {
    return this.tokens.slice(unit.first, unit.last + 1).filter((t) => !t.quoted && t.start > from && t.end <= to);
  }
}
