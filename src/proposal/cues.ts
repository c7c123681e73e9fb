import { BETWEEN, DIRECTIVE_VERBS, NEEDS_PARTICLE, QUOTE_VERBS, SETTING } from "./lexicon";

/** Verbs after which the word before them is their subject, not a verb of saying ("reports are sent in"). */
const NOUN_BEFORE = new Set(["are", "were", "have"]);
const NOT_SAID_BY_SUBJECT = new Set(["to", "am", "is", "are", "was", "were", "been", "be", "being", "not", "never", "n't"]);
import type { Token } from "./text";

/** Whether a token is a finite verb of saying from `verbs`, said by its clause's subject. */
export function isReportVerb(tokens: Token[], index: number, verbs: Set<string>): boolean {
  const token = tokens[index];
  if (!token.tags.has("Verb") || token.tags.has("Gerund") || token.tags.has("Auxiliary") || !verbs.has(token.lemma)) return false;
  // "to say", "was told" (the speaker is someone else), "did not say" (nothing was said); but "went on to say"
  // is the subject saying it.
  // An adverb in between changes nothing: "was yesterday told", "has not publicly said".
  let p = index - 1;
  while (p > 0 && BETWEEN.has(tokens[p].key) && !NOT_SAID_BY_SUBJECT.has(tokens[p].key)) p--;
  const previous = tokens[p];
  // (A quotation's last word is not the reporter's: "“… we would like to talk to,” said Warner".)
  if (previous && !previous.quoted && !wentOnTo(tokens, index) && NOT_SAID_BY_SUBJECT.has(previous.key)) return false;
  // "must never be taken for granted": after "for" or "of" the word is no verb of the clause.
  if (["for", "of"].includes(tokens[index - 1]?.key ?? "") && !tokens[index - 1].quoted) return false;
  // "as people seek care and reports are sent in": a plural noun the tagger read as a verb, before its own verb.
  if (token.key.endsWith("s") && NOUN_BEFORE.has(tokens[index + 1]?.key ?? "") && !/[.,;:!?]/.test(token.post)) return false;
  // "600 people reported missing", "a car reported stolen": a participle before a state describes, it reports nothing.
  const next = tokens[index + 1];
  const state = next && !next.quoted && (next.tags.has("Adjective") || next.tags.has("PastTense")) && (/[.,;:!?]/.test(next.post) || !tokens[index + 2] || ["Preposition", "Conjunction"].some((tag) => tokens[index + 2].tags.has(tag)));
  if (token.tags.has("PastTense") && state && !/[.,;:!?]/.test(token.post) && !tokens[index - 1]?.quoted) return false;
  const particles = NEEDS_PARTICLE[token.lemma];
  // "“Never,” he replied.", "“…,” responded Smith": next to a quotation the verb attributes it, with no particle.
  return !particles || particles.includes(tokens[index + 1]?.key ?? "") || /[.,;:!?]/.test(token.post) || Boolean(tokens[index - 1]?.quoted);
}

const BE = new Set(["am", "is", "are", "was", "were", "be", "been", "being"]);

/** A verb handing a quotation over after it ("X said: “…”"), a progressive too ("Belkhadem was declaring, “Our candidate has won.”"). */
export function handsOverQuote(tokens: Token[], t: Token): boolean {
  return isReportVerb(tokens, t.index, QUOTE_VERBS) || (t.tags.has("Gerund") && QUOTE_VERBS.has(t.lemma) && progressive(tokens, t));
}

/** "the leader was stressing for …", "he was just joking": an -ing form after a form of "be" is a progressive verb, not a participle of saying. */
export function progressive(tokens: Token[], t: Token): boolean {
  let p = t.index - 1;
  while (p > 0 && (BETWEEN.has(tokens[p].key) || tokens[p].tags.has("Adverb")) && !BE.has(tokens[p].key)) p--;
  return BE.has(tokens[p]?.key ?? "");
}

/** A directive, not a claim: "called on lawmakers to review", "urged residents to leave". */
const SUBJECT_PRONOUNS = new Set(["i", "he", "she", "we", "they", "it"]);

export function directive(tokens: Token[], verb: Token): boolean {
  if (verb.lemma === "call" && ["on", "for"].includes(tokens[verb.index + 1]?.key ?? "")) return true;
  if (!DIRECTIVE_VERBS.has(verb.lemma)) return false;
  // "warned people about spreading false news", "cautioned against travelling": advice against doing something (not
  // "warned about rising prices", a warning of what is happening).
  const against = tokens.slice(verb.index + 1, verb.index + 4).findIndex((t) => t.key === "against" || (t.key === "about" && tokens[verb.index + 1].tags.has("Noun")));
  if (["warn", "caution", "advise"].includes(verb.lemma) && against >= 0 && tokens[verb.index + 2 + against]?.tags.has("Gerund")) return true;
  const next = tokens.slice(verb.index + 1, verb.index + 6);
  const that = next.findIndex((t) => t.key === "that");
  // "urged people to refrain from …": the tagger may read the infinitive as a noun; a directive's "to" takes no article or name.
  const infinitive = (t?: Token) => Boolean(t && (t.tags.has("Verb") || (!t.tags.has("Determiner") && !t.tags.has("Pronoun") && !t.tags.has("Value") && !/^\p{Lu}/u.test(t.text))));
  const to = next.findIndex((t, i) => t.key === "to" && infinitive(next[i + 1]));
  // "told AP he planned to stay neutral": a subject or a verb of its own before the "to" is a reported clause, no order.
  // (Not a verb in a relative clause: "warned drivers who planned to travel to check the roads" is an order.)
  const between = next.slice(0, to);
  const relative = between.findIndex((t) => ["who", "which", "that"].includes(t.key));
  const clause = between.some((t, k) => SUBJECT_PRONOUNS.has(t.key) || (t.tags.has("Verb") && !t.tags.has("Infinitive") && (relative < 0 || k < relative)));
  return to >= 0 && !clause && (that < 0 || to < that);
}

/** "went on to say", "continued to tell the jury": the verb whose subject is the speaker is "went", "continued". */
export function wentOnTo(tokens: Token[], index: number): boolean {
  return carrier(tokens, index) !== index;
}

/** The verb that carries a verb of saying's subject: "went" in "went on to say", "continued" in "continued to tell"; else the verb itself. */
export function carrier(tokens: Token[], index: number): number {
  if (tokens[index - 1]?.key !== "to") return index;
  if (tokens[index - 2]?.key === "on" && ["go", "went", "goes", "going", "gone"].includes(tokens[index - 3]?.key ?? "")) return index - 3;
  const before = tokens[index - 2];
  if (before && ["continue", "proceed"].includes(before.lemma) && before.tags.has("Verb") && !before.tags.has("Gerund")) return index - 2;
  return purpose(tokens, index) ?? index;
}

/** Verbs whose object does what the infinitive says ("asked the firm to say", "allowed him to tell"): not a purpose. */
const OBJECT_CONTROL = new Set([...DIRECTIVE_VERBS, "allow", "permit", "force", "invite", "require", "want", "expect", "persuade", "prompt", "lead", "cause", "get", "pay", "hire", "appoint", "elect"]);

/** "took to Facebook to say", "issued a statement to warn": an infinitive of purpose after an object; the verb before it carries the subject. */
function purpose(tokens: Token[], index: number): number | null {
  if (!tokens[index - 2]?.tags.has("Noun") || tokens[index - 2].tags.has("Pronoun") || /[,;:.!?]/.test(tokens[index - 2].post)) return null;
  for (let k = index - 3; k >= 0 && k >= index - 8; k--) {
    const t = tokens[k];
    if (/[,;:.!?]/.test(t.post) || t.quoted) return null;
    if (t.tags.has("Verb") && !t.tags.has("Auxiliary")) return !t.tags.has("Gerund") && !t.tags.has("Infinitive") && !OBJECT_CONTROL.has(t.lemma) ? k : null;
  }
  return null;
}

/** "…, per Refinitiv.": "per" after a comma and before a name attributes like "according to" (not "per share", "per cent"). */
export function perName(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  return t.key === "per" && !t.quoted && /,/.test(tokens[i - 1]?.post ?? "") && /^\p{Lu}/u.test(tokens[i + 1]?.text ?? "") && !tokens[i + 1].quoted;
}

/** -ing forms of verbs of saying that are nouns of their own. */
const NOUN_GERUNDS = new Set(["briefing", "briefings", "warning", "warnings", "posting", "filing", "hearing", "reading"]);

/**
 * "at a press briefing", "the warning", "a stern warning": an -ing form after an article and adjectives or words of a
 * statement's setting is a noun, not a participle of saying ("opened the Senate announcing …", "the company warning" are).
 */
export function nominalGerund(tokens: Token[], t: Token): boolean {
  for (let p = t.index - 1; p >= 0 && p >= t.index - 3 && !/[,;:.!?]/.test(tokens[p].post); p--) {
    if (tokens[p].tags.has("Determiner") || tokens[p].tags.has("Possessive")) return true;
    // ("a weather briefing", "a flood warning": a lower-case noun before one of these nouns modifies it; "the council
    // saying that …" is the council's participle.)
    const modifier = NOUN_GERUNDS.has(t.key) && tokens[t.index + 1]?.key !== "that" && tokens[p].tags.has("Noun") && tokens[p].tags.has("Singular") && !tokens[p].tags.has("Pronoun") && /^\p{Ll}/u.test(tokens[p].text);
    if (!((tokens[p].tags.has("Adjective") && !tokens[p].tags.has("Noun")) || modifier || SETTING.has(tokens[p].key))) return false;
  }
  return false;
}

/**
 * "Smith said the plan was dead and added that talks would resume", "…, but warned that …": a verb of saying after
 * "and"/"but" with no subject of its own, in the first verb's tense, after it and before the offset `end`: a second claim of the same speaker (one
 * claim per verb of saying). `free` excludes verbs already taken.
 */
export function coordinatedCue(tokens: Token[], first: Token, end: number, verbs: Set<string>, free: (t: Token) => boolean): Token | undefined {
  // In the first verb's tense: "… in Parliament and state assemblies" has no second verb, nor "would report back … and possibly agree".
  const tense = ["PastTense", "PresentTense"].find((tag) => first.tags.has(tag));
  const from = first.index + 2;
  for (let k = from; tense && k < tokens.length && tokens[k].end <= end; k++) {
    const t = tokens[k];
    if (!t.quoted && free(t) && t.tags.has(tense) && isReportVerb(tokens, k, verbs) && coordinated(tokens, k, from)) return t;
  }
  return undefined;
}

/** Whether the verb at `index` follows "and"/"but" (adverbs and auxiliaries between), after `from`: no subject of its own. */
export function coordinated(tokens: Token[], index: number, from: number): boolean {
  let p = index - 1;
  while (p > from && (BETWEEN.has(tokens[p].key) || tokens[p].tags.has("Adverb")) && !["and", "but"].includes(tokens[p].key)) p--;
  return p > from && ["and", "but"].includes(tokens[p].key) && !tokens[p].quoted;
}
/** "…, Spicer said, adding …" / "…, Hennessey said, and …": a verb of saying after what it attributes, with more after it. */
export function handsOn(tokens: Token[], verb: Token): boolean {
  const after = tokens[verb.index + 1];
  return /^,/.test(verb.post.trim()) && after !== undefined && !after.quoted && (["and", "but", "so"].includes(after.key) || (after.tags.has("Gerund") && QUOTE_VERBS.has(after.lemma)));
}

const NAMING = new Set(["call", "label", "brand", "dub", "term"]);
/** Objects a naming verb takes: a pronoun or a noun phrase of at most this many words before its complement. */
const NAMED_WORDS = 5;
/** Words after "called the race" that say when or how it was called, not what it was called. */
const NOT_COMPLEMENTS = new Set(["early", "late", "back", "off", "up", "out", "in", "down", "over", "again", "today", "yesterday", "tomorrow"]);

/**
 * "called the actions lawful", "called him a kind, loving and admirable person", "labelled the plan a betrayal": a naming
 * verb with an object and its complement (a small clause) says something of the object, quoted or not. Not "called the
 * police", "called a snap election", "called him onto the stage", "called on/for/to".
 */
export function namesAs(tokens: Token[], verb: Token): boolean {
  if (!NAMING.has(verb.lemma) || !verb.tags.has("Verb") || verb.tags.has("Gerund") || verb.quoted || /[,;:.!?]/.test(verb.post)) return false;
  const first = tokens[verb.index + 1];
  if (!first || first.quoted || first.paragraph !== verb.paragraph) return false;
  // The object: a pronoun, or a determiner or name and the nouns after it, up to the complement.
  let k = verb.index + 1;
  if (first.tags.has("Pronoun") && !first.tags.has("Possessive")) k++;
  else {
    if (!(first.tags.has("Determiner") || first.tags.has("Possessive") || first.tags.has("ProperNoun"))) return false;
    k++;
    // (An adjective only before a noun: "called the transfers lawful" ends the object at "transfers".)
    const inObject = (t: Token | undefined, next: Token | undefined) => Boolean(t && !t.tags.has("Pronoun") && (t.tags.has("Noun") || (t.tags.has("Adjective") && !/[,;:.!?]/.test(t.post) && next?.tags.has("Noun"))));
    while (k - verb.index <= NAMED_WORDS && !/[,;:.!?]/.test(tokens[k - 1].post) && inObject(tokens[k], tokens[k + 1]) && tokens[k + 1] && !tokens[k + 1].tags.has("Verb")) k++;
  }
  const complement = tokens[k];
  if (!complement || complement.quoted || complement.paragraph !== verb.paragraph || /[,;:.!?]/.test(tokens[k - 1].post) || NOT_COMPLEMENTS.has(complement.key)) return false;
  // The complement: an adjective ("lawful"), or a noun phrase opening with an article ("a traitor", "an outrage").
  return (complement.tags.has("Adjective") && !complement.tags.has("Determiner")) || ["a", "an"].includes(complement.key);
}
