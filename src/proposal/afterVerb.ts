import { BETWEEN, NAMING_VERBS, NEEDS_PARTICLE, PASSIVE_NAMING_VERBS, REPORT_VERBS, SETTING, STAFF, VOICE_HEADS, VOICE_LINKS } from "./lexicon";
import { topicOnly } from "./content";
import type { Clause, Phrases } from "./phrases";
import type { Speaker, SpeakerResolver } from "./speakers";
import type { Token, Unit } from "./text";

/** A passive claim: its verb's token index, speaker, span, and whether quoted words are in it. */
export interface PassiveClaim {
  verb: number;
  speaker: Speaker;
  start: number;
  end: number;
  quoted: boolean;
}

const BE = new Set(["was", "were", "been", "being", "is", "are"]);
/** Who hears a statement in court and council copy. */
const AUDIENCES = new Set("jury jurors court inquest tribunal hearing committee meeting panel council mps members magistrates parliament assembly commission audience reporters journalists delegates councillors".split(" "));

/**
 * Speakers named after their verb: the agent of a passive ("was branded “reckless” by X") and the
 * inverted trailing attribution ("…, said X"). Newswriting puts the speaker last in both.
 */
export class AfterVerb {
  constructor(
    private readonly tokens: Token[],
    private readonly phrases: Phrases,
    private readonly resolver: SpeakerResolver,
  ) {}

  /**
   * The passive of a verb of naming or judging, its speaker after "by": "The plan was branded
   * “reckless” by the union", "was described by the minister as a betrayal". The claim is the clause
   * up to "by" (and the complement after the speaker, when it follows it).
   */
  passive(unit: Unit, clause: Clause): PassiveClaim | null {
    const range = this.phrases.range(clause);
    const verb = range.find((t) => !t.quoted && t.tags.has("Verb") && PASSIVE_NAMING_VERBS.has(t.lemma) && BE.has(this.tokens[t.index - 1]?.key ?? ""));
    if (!verb) return null;
    const by = range.find((t) => t.index > verb.index && t.index <= verb.index + 20 && !t.quoted && t.key === "by");
    if (!by) return null;
    const speaker = this.agent(by.index + 1);
    if (!speaker) return null;
    const between = range.filter((t) => t.index > verb.index && t.index < by.index);
    // "was described by the minister as a betrayal": the complement follows the speaker.
    const asAfter = between.length === 0 ? range.find((t) => t.index > by.index && t.key === "as" && !t.quoted) : undefined;
    // "was called “a step backwards”", "was described as …", "was labelled a failure"; not "was called to the scene".
    const complement = between[0]?.quoted || between[0]?.key === "as" || (between.length > 0 && !between[0].tags.has("Preposition") && !between[0].tags.has("Verb") && NAMING_VERBS.has(verb.lemma));
    if (!complement && !asAfter) return null;
    const start = this.tokens[this.phrases.clauseStart(clause)].start;
    const quoted = unit.quotes.filter((q) => q.open > verb.start && q.open < (asAfter ? this.tokens[clause.to].end : by.start));
    const end = asAfter ? this.phrases.clauseEnd(clause) : Math.max(this.tokens[by.index - 1].end, ...quoted.map((q) => Math.min(q.close + 1, by.start)));
    return { verb: verb.index, speaker, start, end, quoted: quoted.length > 0 };
  }

  /**
   * "Harper was quoted as saying the plan was dead", "Lee was quoted by the Herald as saying that …": the subject of
   * the passive said what follows "saying" (an outlet after "by" only passed it on). With a colon and a quotation
   * after "saying", the quotation rule takes it.
   */
  quotedAs(unit: Unit, clause: Clause): PassiveClaim | null {
    const range = this.phrases.range(clause).filter((t) => !t.quoted);
    const verb = range.find((t) => t.lemma === "quote" && t.tags.has("Verb") && BE.has(this.before(t.index).key));
    const as = verb && range.find((t) => t.index > verb.index && t.index <= verb.index + 8 && t.key === "as" && this.tokens[t.index + 1]?.key === "saying");
    if (!verb || !as || /[:,]/.test(this.tokens[as.index + 1].post)) return null;
    const subject = this.phrases.subjectPhrase(this.phrases.clauseStart(clause), this.before(verb.index).index);
    const speaker = subject.length && this.resolver.plausible(subject) ? this.resolver.resolve(subject) : null;
    const first = this.tokens[as.index + 2]?.key === "that" ? this.tokens[as.index + 3] : this.tokens[as.index + 2];
    if (!speaker || !first || first.index > unit.last) return null;
    return { verb: verb.index, speaker, start: first.start, end: this.phrases.clauseEnd({ from: clause.from, to: unit.last }), quoted: unit.quotes.some((q) => q.open > first.start) };
  }

  /**
   * An audience told something by nobody named: "The jury was further told that …", "MPs were told …", "The
   * inquest heard that …". Court and council copy leaves the teller to the paragraph before, so the speaker is
   * the last one of this paragraph or the one before (`previous`), and without one there is no claim.
   */
  told(unit: Unit, clause: Clause, previous: Speaker | undefined): PassiveClaim | null {
    if (!previous) return null;
    const range = this.phrases.range(clause).filter((t) => !t.quoted);
    const verb = range.find((t) => t.tags.has("Verb") && ((["tell", "inform"].includes(t.lemma) && BE.has(this.before(t.index).key)) || (t.lemma === "hear" && t.tags.has("PastTense"))));
    const subject = verb ? this.phrases.subjectPhrase(clause.from, verb.lemma === "hear" ? verb.index : this.before(verb.index).index) : [];
    if (!verb || !AUDIENCES.has(subject.at(-1)?.key ?? "")) return null;
    const rest = this.tokens.slice(verb.index + 1, unit.last + 1);
    const first = rest[0]?.key === "that" ? rest[1] : rest[0];
    // "were told to leave" is an order; "heard from witnesses", "was told about the plan" carry no statement.
    if (!first || ["to", "from", "about", "of", "on", "by"].includes(first.key) || first.tags.has("Preposition") || !rest.some((t) => t.tags.has("Verb") && !t.tags.has("Gerund") && !t.tags.has("Infinitive"))) return null;
    return { verb: verb.index, speaker: { ...previous, resolution: "CONTINUATION" }, start: first.start, end: this.tokens[unit.last].end, quoted: false };
  }

  /**
   * A participial lead: "Insisting the club was not for sale, owner Tom Berry walked out", "Noting that sales had
   * fallen, Jo Lin said …". The participle's content, up to the comma, is a claim of the main clause's subject
   * (one claim per cue: the main verb keeps its own). Quoted words are left to the partial-quotation rule.
   */
  lead(unit: Unit): PassiveClaim | null {
    const cue = this.tokens[unit.first];
    const stem = cue.key.endsWith("ing") ? cue.key.slice(0, -3) : "";
    const lemma = [stem, stem + "e", stem.slice(0, -1)].find((v) => v.length > 1 && REPORT_VERBS.has(v));
    const next = this.tokens[cue.index + 1];
    if (!lemma || cue.quoted || !next || (NEEDS_PARTICLE[lemma] && !NEEDS_PARTICLE[lemma].includes(next.key)) || ["to", "on", "for"].includes(next.key)) return null;
    const comma = this.tokens.slice(cue.index + 1, Math.min(unit.last, cue.index + 30)).find((t) => /,/.test(t.post));
    if (!comma || this.tokens.slice(cue.index, comma.index + 1).some((t) => t.quoted)) return null;
    // (A capitalised "verb" is a title the tagger misread: "Finance Minister".)
    const verb = this.tokens.slice(comma.index + 1, unit.last + 1).find((t) => t.tags.has("Verb") && !t.tags.has("Gerund") && !t.tags.has("Auxiliary") && !t.quoted && !/^\p{Lu}/u.test(t.text));
    const subject = verb ? this.phrases.subjectPhrase(comma.index + 1, verb.index) : [];
    if (!subject.length || !this.resolver.plausible(subject)) return null;
    const speaker = this.resolver.resolve(subject);
    const first = next.key === "that" ? this.tokens[next.index + 1] : next;
    // "Saying goodbye to fans": saying something without a clause is a formula, not a statement.
    const clause = this.tokens.slice(first.index, comma.index + 1).some((t) => t.tags.has("Verb"));
    // "Answering a question, …", "Speaking about security at the venue, …": a topic, not a statement.
    if (!clause && topicOnly({ ...cue, lemma }, this.tokens.slice(first.index, comma.index + 1))) return null;
    return speaker && first.index <= comma.index && (clause || lemma !== "say") ? { verb: cue.index, speaker, start: first.start, end: comma.end, quoted: false } : null;
  }

  /** The word before a verb, skipping adverbs ("was further told"). */
  private before(index: number): Token {
    let i = index - 1;
    while (i > 0 && BETWEEN.has(this.tokens[i].key) && !BE.has(this.tokens[i].key)) i--;
    return this.tokens[i];
  }

  /** "…, said Acme spokesperson Dana Reyes on Monday.": a verb after a comma, its speaker after it, ending the sentence. */
  inverted(unit: Unit, verb: Token): Speaker | null {
    if (!/,/.test(this.tokens[verb.index - 1]?.post ?? "") || verb.index - unit.first < 3) return null;
    let phrase = this.phrases.phraseFrom(verb.index + 1);
    // "…, said a spokeswoman for Acme Corp.", "…, said a statement by Columbia Records": the voice of the institution after it.
    const head = phrase.at(-1);
    const voiceFor = head !== undefined && (VOICE_HEADS.has(head.key) || STAFF.has(head.key)) && VOICE_LINKS.has(this.tokens[head.index + 1]?.key ?? "") && !/[,;:.!?]/.test(head.post);
    if (voiceFor) phrase = this.phrases.phraseFrom(phrase.at(-1)!.index + 2);
    if (!phrase.length || !this.resolver.plausible(phrase)) return null;
    const after = this.tokens.slice(phrase.at(-1)!.index + 1, unit.last + 1);
    // "…, said Jan Dawson, chief telecoms analyst at Ovum.": an appositive (no verb in it) may close the sentence.
    const appositive = /,/.test(phrase.at(-1)!.post) && after.length > 0 && !after.some((t) => t.quoted || t.tags.has("Verb"));
    if (!appositive && !after.every((t) => SETTING.has(t.key) || t.tags.has("Date") || t.tags.has("Preposition") || t.tags.has("Determiner"))) return null;
    return this.resolver.resolve(phrase);
  }

  /** The agent after "by": a plausible speaker, a name in apposition preferred ("the chair of the committee, Jane Doe,"). */
  private agent(from: number): Speaker | null {
    const comma = this.tokens.slice(from, from + 12).find((t) => /,/.test(t.post));
    const upTo = comma ? this.tokens.slice(from, comma.index + 1) : [];
    if (comma && !upTo.some((t) => t.quoted || (t.tags.has("Verb") && !t.tags.has("Gerund"))) && this.tokens[comma.index + 1]) {
      const appositive = this.phrases.phraseFrom(comma.index + 1);
      const named = appositive.length && /^\p{Lu}/u.test(appositive[0].text) ? this.resolver.resolve(appositive) : null;
      if (named?.kind === "PERSON") return named;
    }
    const phrase = this.phrases.phraseFrom(from);
    return phrase.length && this.resolver.plausible(phrase) ? this.resolver.resolve(phrase) : null;
  }
}
