import { carrier, coordinated, isReportVerb, progressive } from "./cues";
import { AFTER_QUOTE_VERBS, BETWEEN, CLAUSE_CONJUNCTIONS, PERSON_ROLES, QUOTE_VERBS, REPORT_VERBS, SETTING } from "./lexicon";
import type { Clause, Phrases } from "./phrases";
import type { Speaker, SpeakerResolver } from "./speakers";
import { capital, type Token, type Unit } from "./text";

const BE = new Set(["is", "are", "was", "were", "be", "been", "being"]);
const finiteVerb = (t: Token) => !t.quoted && t.tags.has("Verb") && !t.tags.has("Gerund") && !t.tags.has("Auxiliary");

/** Who does the saying: the subject of a verb of saying, and of a participle cue ("…, suggesting that …"). */
export class Subjects {
  constructor(
    private readonly tokens: Token[],
    private readonly phrases: Phrases,
    private readonly resolver: SpeakerResolver,
  ) {}

  /** The speaker of a verb: its clause's subject, or the sentence's for a clause that has none. */
  of(clauses: Clause[], index: number, verb: number): Speaker | null {
    verb = carrier(this.tokens, verb);
    for (let i = index; i >= 0; i--) {
      const clause = clauses[i];
      // An earlier clause's own verb: not a participle leading it ("Speaking at …, the Minister stated …, and accused"), nor a relative clause's.
      const end = i === index ? verb : (this.phrases.range(clause).find((t) => t.tags.has("Verb") && !t.quoted && !t.tags.has("Gerund") && !this.relative(t))?.index ?? clause.to + 1);
      // "Hecking was not impressed and labelled the goal …", "Smith likened the order to a decree and said …": the verbs
      // share the clause's subject (no phrase before the conjunction is the subject: "a decree" was taken for one).
      let k = end - 1;
      while (k > clause.from && BETWEEN.has(this.tokens[k].key)) k--;
      if (i === index && ["and", "but", "then"].includes(this.tokens[k]?.key ?? "") && k > clause.from) {
        const first = this.phrases.range({ from: clause.from, to: k }).find((t) => t.tags.has("Verb") && !t.quoted && !t.tags.has("Gerund"));
        if (first && first.index < k) return this.of(clauses, index, first.index);
      }
      const phrase = this.apposedTo(this.phrases.subjectPhrase(this.phrases.clauseStart(clause), end));
      if (phrase.length) return this.resolver.plausible(phrase) ? this.resolver.resolve(phrase) : null;
      if (i === index && !CLAUSE_CONJUNCTIONS.has(this.tokens[clause.from].key) && i > 0) return null;
    }
    return null;
  }

  /**
   * The speaker of a participle cue after a finite verb: the subject of the nearest finite verb before it
   * ("attorney Lawrence Daniel interjected, suggesting that …"), or, when that verb's subject is no
   * speaker ("criticised the way the inquiry was handled saying …"), of the clause's first verb.
   */
  ofParticiple(clauses: Clause[], index: number, participle: Token): Speaker | null {
    // "Another report quoted Mathur as saying …", "cited officials as saying": the one quoted says it, not the quoter.
    const as = this.tokens[participle.index - 1];
    const quoter = as?.key === "as" ? this.tokens.slice(Math.max(clauses[index].from, as.index - 8), as.index).findLast((t) => ["quote", "cite"].includes(t.lemma) && t.tags.has("Verb")) : undefined;
    if (quoter && quoter.index < as.index - 1) return this.resolver.resolve(this.phrases.phraseEndingAt(as.index - 1, quoter.index + 1, 0));
    // Not a passive ("was handled"): its subject is not who acts; nor a relative clause's verb ("applauded the doctor who
    // identified the virus, adding that …" is the applauder's).
    const verbs = this.phrases.range({ from: clauses[index].from, to: participle.index - 1 }).filter((t) => finiteVerb(t) && !this.passive(t) && !this.relative(t));
    // "said that the BJP should swear they have not taken …, adding that": "adding" goes on with the attribution, not the reported clause.
    const nearest = (participle.lemma === "add" ? verbs.findLast((t) => REPORT_VERBS.has(t.lemma)) : undefined) ?? verbs.at(-1);
    if (!nearest) return null;
    const subject = this.phrases.subjectPhrase(this.phrases.clauseStart(clauses[index]), nearest.index);
    if (subject.length && this.resolver.plausible(subject)) return this.resolver.resolve(subject);
    // The clause's first verb, an auxiliary too ("The chief executive … has long been vocal …, previously warning").
    const first = this.phrases.range({ from: clauses[index].from, to: participle.index - 1 }).find((t) => !t.quoted && t.tags.has("Verb") && !t.tags.has("Gerund"));
    return first ? this.of(clauses, index, first.index) : null;
  }

  /**
   * "The statement read: “…”", "Edwards issued a rebuttal: “…”", "The union was blunt: “…”": a clause with no
   * verb of saying that hands over to a quotation with a colon speaks it through its subject.
   */
  ofColon(before: Token[]): Speaker | null {
    const verb = before.find((t) => t.tags.has("Verb") && !t.tags.has("Gerund") && !t.quoted);
    // "Detective Constable Victoria Hazlewood: “…”": a name alone before the colon, as police appeals and transcripts give it.
    const named = !verb && before.length <= 8 && before.some((t) => /^\p{Lu}/u.test(t.text)) ? before : [];
    const phrase = verb ? this.phrases.subjectPhrase(before[0].index, verb.index) : named;
    return phrase.length && this.resolver.plausible(phrase) ? this.resolver.resolve(phrase) : null;
  }

  private relative(verb: Token): boolean {
    let i = verb.index - 1;
    while (i > 0 && BETWEEN.has(this.tokens[i].key)) i--;
    return ["who", "which"].includes(this.tokens[i]?.key ?? "");
  }

  private passive(verb: Token): boolean {
    let i = verb.index - 1;
    while (i > 0 && BETWEEN.has(this.tokens[i].key) && !BE.has(this.tokens[i].key)) i--;
    return BE.has(this.tokens[i]?.key ?? "");
  }

  /**
   * The comma before a sentence's closing attribution (", party spokesman Ho Wen-tsai said (on Tuesday)."), or -1: its
   * subject and verb of saying come last, with nothing after them but when and where.
   */
  closingAttribution(unit: Unit): number {
    const tokens = this.tokens.slice(unit.first, unit.last + 1).filter((t) => !t.quoted);
    const verb = tokens.findLast((t) => isReportVerb(this.tokens, t.index, REPORT_VERBS));
    if (!verb || !tokens.filter((t) => t.index > verb.index).every((t) => SETTING.has(t.key) || t.tags.has("Date") || t.tags.has("Preposition") || t.tags.has("Determiner"))) return -1;
    const comma = tokens.findLast((t) => t.index < verb.index && /,/.test(t.post));
    if (!comma || verb.index - comma.index > 10 || this.tokens.slice(comma.index + 1, verb.index).some((t) => t.tags.has("Verb"))) return -1;
    const subject = this.phrases.subjectPhrase(comma.index + 1, verb.index);
    // "…, Reuters reported.", "…, the BBC said": an outlet passing on what others said is not their speaker.
    const speaker = subject.length > 0 && verb.lemma !== "report" && this.resolver.plausible(subject) ? this.resolver.resolve(subject) : null;
    return speaker && speaker.kind !== "MEDIA" ? comma.index : -1;
  }

  /**
   * A participle handing over to a quotation, and its speaker: "Bowman declined to say what comes next – saying, “…”" is
   * Bowman's, and so is "Clinton took the stage, telling supporters: “…”" (only a listener between them, no verb).
   * (The sentence up to it is the clause: a comma split it from its finite verb.)
   */
  handingOver(unit: Unit, before: Token[]): { verb: number; speaker: Speaker } | null {
    const participle = before.slice(-6).findLast((t) => t.tags.has("Gerund") && QUOTE_VERBS.has(t.lemma) && !t.quoted);
    if (!participle || progressive(this.tokens, participle)) return null;
    const listener = before.filter((t) => t.index > participle.index);
    if (listener.some((t, i) => t.quoted || t.tags.has("Verb") || t.key === "that" || (i < listener.length - 1 && /[,;:]/.test(t.post)))) return null;
    const speaker = this.ofParticiple([{ from: unit.first, to: participle.index }], 0, participle);
    return speaker ? { verb: participle.index, speaker } : null;
  }

  /** The verb of saying after a quotation: the first verb there, past a name and its appositive. */
  cueAfter(tokens: Token[]): number | null {
    let commas = 0;
    for (const t of tokens.slice(0, 24)) {
      // Inside an appositive ("Itani, who has briefed the government, told …") a verb is not the cue.
      if (commas === 1 && tokens[0].index !== t.index) {
        if (/,/.test(t.post)) commas++;
        continue;
      }
      if (isReportVerb(this.tokens, t.index, AFTER_QUOTE_VERBS)) return t.index;
      if (t.tags.has("Verb") && !t.tags.has("Auxiliary") && !BETWEEN.has(t.key)) return null;
      if (/,/.test(t.post)) commas++;
    }
    return null;
  }

  /** "…," said X / "…," X said / X said: "…". */
  ofCue(segment: Token[], verb: number): Speaker | null {
    const before = segment.filter((t) => t.index < verb && !BETWEEN.has(t.key));
    if (before.length === 0) {
      const phrase = this.phrases.phraseFrom(verb + 1);
      // "said the union's vice president, Bob Backes": a description, then the name in apposition is who spoke
      // (the description would go to whoever held that kind of title earlier in the article).
      // ("said a spokeswoman at the prosecutor's office in Duisburg, Anna Weiler": the description's phrases up to the comma.)
      const comma = phrase.length && !capital(phrase[0]) ? this.tokens.slice(phrase.at(-1)!.index, phrase.at(-1)!.index + 12).find((t) => /[,.;:!?]/.test(t.post) || t.quoted || (t.tags.has("Verb") && !t.tags.has("Participle"))) : undefined;
      const appositive = comma && /,/.test(comma.post) && !comma.quoted ? this.phrases.phraseFrom(comma.index + 1) : [];
      const apposed = appositive.length && capital(appositive[0]) ? this.resolver.resolve(appositive) : null;
      if (apposed?.kind === "PERSON") return apposed;
      const named = this.resolver.resolve(phrase);
      if (named?.kind === "PERSON") return named;
      // "said Arts, Live Festival and Events Association (Alife Malaysia) chairman Para Rajagopal at …": an institution's
      // name with commas, then the title and name of who spoke for it.
      const after = segment.filter((t) => t.index > verb).slice(0, 16);
      const end = after.findIndex((t) => t.tags.has("Verb") || /[.!?]/.test(t.post));
      const title = after.slice(0, end < 0 ? after.length : end + 1).find((t) => PERSON_ROLES.has(t.key) && !capital(t) && after.some((n) => n.index === t.index + 1 && capital(n)));
      const person = title ? this.resolver.resolve(this.phrases.phraseFrom(title.index)) : null;
      return person?.kind === "PERSON" ? person : named;
    }
    // "Hayek confirmed she had been and said, “…”": a verb after "and" speaks for the first verb's subject.
    const first = coordinated(this.tokens, verb, segment[0].index) ? segment.find((t) => t.tags.has("Verb") && !t.tags.has("Auxiliary") && !t.quoted && t.index < verb) : undefined;
    return this.resolver.resolve(this.apposedTo(this.phrases.subjectPhrase(segment[0].index, first?.index ?? verb)));
  }

  /**
   * "In a statement Stephen Johnston, site manager for Invista at Brockworth said: …": a bare singular role just after a
   * person's name and its comma is the name's apposition with its closing comma dropped, and the name is the subject.
   */
  private apposedTo(phrase: Token[]): Token[] {
    const before = this.tokens[(phrase[0]?.index ?? 0) - 1];
    const role = phrase.find((t) => t.tags.has("Actor") || PERSON_ROLES.has(t.key));
    if (!before?.tags.has("Person") || before.post.trim() !== "," || !role || role.tags.has("Plural") || phrase.some(capital) || ["Determiner", "Pronoun"].some((tag) => phrase[0].tags.has(tag))) return phrase;
    let from = before.index;
    while (from > 0 && before.index - from < 3 && this.tokens[from - 1].tags.has("Person") && !this.tokens[from - 1].post.trim()) from--;
    // Where a subject stands: opening the sentence, or after a fronted phrase of setting ("In a statement"); not an object
    // ("After questioning Tom Hale, police spokesman said", "presented to Ann Lee, head teacher said").
    let k = from;
    while (k > 0 && from - k < 12 && this.tokens[k - 1].paragraph === this.tokens[from].paragraph && !/[.!?]/.test(this.tokens[k - 1].post)) k--;
    const lead = this.tokens.slice(k, from);
    const setting = lead.length === 0 || (lead[0].tags.has("Preposition") && !lead.some((t) => t.tags.has("Verb") || t.quoted || /,/.test(t.post)));
    return setting ? this.tokens.slice(from, before.index + 1) : phrase;
  }
}
