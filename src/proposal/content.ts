import { BETWEEN, EVIDENCE_VERBS, QUOTE_VERBS, REPORT_VERBS, SETTING } from "./lexicon";
import { lowerBound, type Token } from "./text";

/**
 * Whether a verb of saying reports a statement, judged by what follows it and what stands before its
 * subject: the tests that keep "posted a profit", "adds to the injury list" and "even though Daniel
 * objected" from being claims.
 */

/** Verbs that report a statement only with its content after them: "expressed concern that …", not "expressed interest in"; "rejected claims that …", not "dismissed an offer" (an action); "commented that", not "commented on"; "allowed that …", not "allowed the statement to be produced". */
const NEEDS_CONTENT = new Set(["express", "voice", "post", "talk", "speak", "dismiss", "reject", "comment", "reaffirm", "restate", "submit", "intimate", "confide", "echo", "allow", "grant", "notify"]);
/** What a team or a candidate claims by winning it ("claimed a 7-5, 6-0 win", "claiming three wickets"): a result, not a statement. */
const WON = new Set(["win", "wins", "victory", "victories", "title", "titles", "crown", "medal", "medals", "gold", "silver", "bronze", "trophy", "wicket", "wickets", "point", "points", "seat", "seats", "lives", "life", "prize", "place", "spot", "lead", "draw", "scalp", "scalps", "goal", "goals", "try", "tries", "majority", "share", "stake", "record", "pole"]);
const CONTENT_OPENERS = new Set(["that", "how", "why", "what", "whether"]);
const RESULTS = new Set(["earnings", "results", "figures", "numbers", "accounts"]);
/** Subordinators that make a clause background to the sentence, not an attribution of it. */
const SUBORDINATORS = new Set(["though", "although", "because", "while", "whereas", "since", "after", "before", "until", "once"]);

/** Whether what follows `verb` (the rest of its clause) is something said. */
export function hasContent(verb: Token, rest: Token[]): boolean {
  // "the report found the batch was destroyed" is a claim; "they have found their loved ones" is not.
  if (EVIDENCE_VERBS.has(verb.lemma) && rest[0]?.key !== "that" && !rest.some((t) => t.tags.has("Verb") && !t.tags.has("Gerund"))) return false;
  // "posted an adjusted profit", "expressed interest in", "talking about reviewing restrictions": a topic or an event, no
  // statement; but "dismissed claims of an impending impeachment", "rejected the concerns raised" deny what was said.
  if (NEEDS_CONTENT.has(verb.lemma) && !rest.slice(0, 6).some((t) => CONTENT_OPENERS.has(t.key)) && !denies(verb, rest)) return false;
  // "disclosed this in a statement on Sunday": "this" points back to what was said; the sentence itself says nothing.
  if (["this", "these"].includes(rest[0]?.key ?? "") && (!rest[1] || /[.,;:!?]/.test(rest[0].post) || ["Preposition", "Conjunction"].some((tag) => rest[1].tags.has(tag)))) return false;
  // "after reporting its third-quarter earnings": a company reporting its results, named but not given, states nothing
  // ("reported earnings of $181 million", "reported a 12 per cent fall" do).
  if (["report", "announce", "post", "release"].includes(verb.lemma) && ["its", "their", "his", "her"].includes(rest[0]?.key ?? "") && rest.some((t) => RESULTS.has(t.key)) && !rest.some((t) => ["of", "that", "showing", "which"].includes(t.key) || (/\d/.test(t.text) && !t.tags.has("Date") && !/^(?:19|20)\d\d$/.test(t.text)))) return false;
  // "agreed to meet", "agreed not to pursue a complaint": a commitment to act, not a statement.
  const to = rest[0]?.key === "not" ? 1 : 0;
  // "pleaded not guilty to two counts of murder": a plea is a step in a case, not a claim.
  if (verb.lemma === "plead" && ["guilty", "innocent", "no"].includes(rest[to]?.key ?? "")) return false;
  if (["agree", "concur", "consent"].includes(verb.lemma) && rest[to]?.key === "to" && rest[to + 1]?.tags.has("Verb")) return false;
  // "maintained its embassy in Kabul": keeping something, not saying it ("maintained the deal was fair", "maintained his
  // innocence" do say it).
  const determined = Boolean(rest[0]?.tags.has("Determiner") || rest[0]?.tags.has("Possessive")) && !CONTENT_OPENERS.has(rest[0].key);
  if (verb.lemma === "maintain" && determined && !STANCES.has(rest[1]?.key ?? "") && !rest.slice(1, 5).some((t) => t.tags.has("Verb") && !t.tags.has("Gerund"))) return false;
  // "Handley agreed, adding: “…”": nothing said before the participle, which carries the words.
  if (/,/.test(verb.post) && rest[0]?.tags.has("Gerund") && QUOTE_VERBS.has(rest[0].lemma)) return false;
  // "claimed a 7-5, 6-0 win", "claiming three wickets", "claimed the lives of": what was won or taken, unless a clause follows.
  if (verb.lemma === "claim" && rest.slice(0, 9).some((t) => WON.has(t.key)) && !rest.slice(0, 9).some((t) => CONTENT_OPENERS.has(t.key) || t.quoted)) return false;
  // "swore at the chair umpire", "shouted at officers": abuse aimed at someone states nothing (unless quoted words follow).
  if (AIMED.has(verb.lemma) && rest[0]?.key === "at" && !rest.some((t) => t.quoted)) return false;
  // "The senator criticised the decision.", "Tim Eagle maintained his objections": a stance toward something named in a
  // few words, with nothing stated about it (no clause, no "as …", no reason), is an act like a vote, not a claim
  // ("criticised the use of taxpayers' money to transport Mr Cawley unnecessarily" says what was wrong).
  if (JUDGING.has(verb.lemma) && rest.length <= 6 && !rest.some((t) => t.quoted || JUDGED_AS.has(t.key) || (t.tags.has("Verb") && !t.tags.has("Auxiliary")))) return false;
  // "declared a state of emergency", "declared war": an act the words perform, not a claim; "reports from Abuja": a byline.
  if (verb.lemma === "declare" && rest.slice(0, 4).some((t) => DECLARED.has(t.key)) && !rest.some((t) => t.key === "that")) return false;
  if (verb.lemma === "report" && rest[0]?.key === "from" && rest.length <= 4) return false;
  // "quoted Mathur as saying …": the participle carries the claim, and the one quoted says it (Subjects.ofParticiple).
  if (["quote", "cite"].includes(verb.lemma) && rest.slice(0, 9).some((t, k) => t.key === "as" && rest[k + 1]?.tags.has("Gerund"))) return false;
  // "The captain adds to India's injury list": adding to something is not saying it.
  return !(verb.lemma === "add" && rest[0]?.key === "to");
}

/** What a declaration brings about. */
const DECLARED = new Set(["emergency", "war", "bankruptcy", "holiday", "curfew", "lockdown", "disaster", "martial", "ceasefire"]);
/** What is maintained by saying it. */
const STANCES = new Set(["innocence", "position", "stance", "view", "views", "claim", "claims", "denial", "line", "argument", "account", "version"]);

/** Verbs of judging what someone did or said, a claim only with what they hold of it. */
const JUDGING = new Set(["criticize", "criticise", "condemn", "denounce", "slam", "blast", "praise", "hail", "laud", "commend", "welcome", "applaud", "decry", "chastise", "castigate", "berate", "lambast", "lambaste", "rebuke", "reprimand", "admonish", "scold", "censure", "excoriate", "mock", "ridicule", "deride"]);
const JUDGED_AS = new Set(["as", "for", "that", "because", "over", "saying", "calling", "describing"]);

/** Verbs of speaking loudly or rudely, aimed "at" someone. */
const AIMED = new Set(["swear", "shout", "yell", "scream", "snap", "bark", "growl", "rant", "rage"]);

/** Words for what was said: rejecting or dismissing one is denying it. */
const SAID_NOUNS = new Set(["claim", "claims", "allegation", "allegations", "report", "reports", "rumour", "rumours", "rumor", "rumors", "accusation", "accusations", "suggestion", "suggestions", "speculation", "concerns", "criticism", "charges", "assertion", "assertions"]);

/** "dismissed claims of an impending impeachment", "rejected the concerns raised about …", "rubbished the rumours as …": a denial. */
export function denies(verb: Token, rest: Token[]): boolean {
  return ["dismiss", "reject", "deny", "refute", "rubbish", "debunk"].includes(verb.lemma) && rest.slice(0, 3).some((t) => SAID_NOUNS.has(t.key));
}

/** "…, even though Daniel repeatedly objected.": a subordinate clause ending a sentence does not attribute it. */
export function subordinate(tokens: Token[], subjectStart: number): boolean {
  return SUBORDINATORS.has(tokens[subjectStart - 1]?.key ?? "");
}

/**
 * "Although the mayor said the plan was sound, critics said …", "While Comey said there was evidence …, he recommended
 * …": the comma ending a fronted subordinate clause, before the main clause's subject and verb, ends its reported content
 * (undefined when the verb's subject opens no such clause, or no main clause follows before `end`).
 */
export function subordinateEnd(tokens: Token[], first: number, subjectStart: number, verb: Token, end: number): Token | undefined {
  const opener = tokens[subjectStart - 1];
  if (!opener || opener.index !== first || !SUBORDINATORS.has(opener.key)) return undefined;
  for (let i = verb.index + 1; i < tokens.length && tokens[i].end < end; i++) {
    if (!/,/.test(tokens[i].post) || tokens[i].quoted) continue;
    const next = tokens.slice(i + 1, i + 8);
    const main = next.findIndex((t) => t.tags.has("Verb") && !t.tags.has("Gerund") && !t.quoted);
    if (main > 0 && next.slice(0, main).every((t) => !t.quoted && !/[,;:]/.test(t.post) && ["Noun", "Determiner", "Adjective", "Pronoun", "Value"].some((tag) => t.tags.has(tag)))) return tokens[i];
  }
  return undefined;
}

/** "While maintaining that the WHO had declared …": a verb whose subject opens another verb's reported clause is part of that content. */
export function insideReported(tokens: Token[], subject: Token[]): boolean {
  const that = subject[0]?.key === "that" ? subject[0] : tokens[(subject[0]?.index ?? 0) - 1];
  const before = that?.key === "that" ? tokens[that.index - 1] : undefined;
  return before !== undefined && REPORT_VERBS.has(before.lemma) && before.tags.has("Verb");
}

/** Verbs that put forward a possibility rather than state it: "flagged the possibility of …", "raised the prospect that …". */
const RAISE = new Set(["flag", "raise", "float"]);
const POSSIBILITY = new Set(["possibility", "prospect", "likelihood", "risk", "spectre", "specter", "idea", "threat"]);

/** "has flagged the possibility of even tighter closures": a claim that something may happen. */
export function raisesPossibility(tokens: Token[], verb: Token): boolean {
  if (!RAISE.has(verb.lemma) || !verb.tags.has("Verb") || verb.tags.has("Gerund")) return false;
  const [det, noun, link] = tokens.slice(verb.index + 1, verb.index + 4);
  return det?.key === "the" && POSSIBILITY.has(noun?.key ?? "") && ["of", "that"].includes(link?.key ?? "");
}

/**
 * Verbs of emphasis whose noun phrase object is a topic ("stressing his commitment"), unlike "announcing a test vote"; and
 * of taking the floor ("Answering a question, X said …", "Speaking about security, …", "Responding to the report, …").
 */
const TOPIC_VERBS = new Set(["emphasize", "emphasise", "stress", "highlight", "underline", "underscore", "point", "remind", "reiterate", "answer", "speak", "talk", "respond", "reply", "comment", "address", "protest"]);

/**
 * "…, emphasizing his commitment to the city's development", "…, pointing to the unfolding flu crisis": a participle
 * of emphasis with nothing but a noun phrase after it names a topic; with a clause ("stressing that the plan was
 * dead") it says something.
 */
export function topicOnly(verb: Token, rest: Token[]): boolean {
  if (!TOPIC_VERBS.has(verb.lemma) || rest.some((t) => t.key === "as" || t.quoted)) return false;
  return !rest.some((t) => CONTENT_OPENERS.has(t.key) || (t.tags.has("Verb") && !t.tags.has("Gerund")));
}

/**
 * "…, as Mental Floss reported at the time." after the sentence's own proposal, "…, as the defence had argued.": a span
 * (`start` to `end`, offsets) holding nothing but its own attribution, the subject, the verb and when or where.
 */
export function attributionOnly(tokens: Token[], start: number, end: number, verb: Token, subject: Token[]): boolean {
  const own = new Set([verb.index, ...subject.map((t) => t.index)]);
  const span = tokens.slice(lowerBound(tokens, (t) => t.start >= start), lowerBound(tokens, (t) => t.end > end));
  // ("…, as she told the BBC on Sunday.": whom it was told to is attribution too.)
  const listener = (t: Token) => verb.lemma === "tell" && t.index > verb.index && (/^\p{Lu}/u.test(t.text) || t.tags.has("Pronoun"));
  return span.every((t) => own.has(t.index) || listener(t) || t.key === "as" || BETWEEN.has(t.key) || SETTING.has(t.key) || ["Date", "Preposition", "Determiner"].some((tag) => t.tags.has(tag)));
}

/** What goes on with a sentence's content after an attribution set off by commas inside it. */
const GOES_ON = new Set([...SUBORDINATORS, "as", "but", "so", "which", "unless", "if", "when"]);

/**
 * "The retirement age is cause for celebration, he said, because Russians are living longer.": an attribution set off by
 * commas inside the sentence, a subordinate or "but" clause going on with the content after it; the sentence is the claim.
 */
export function interrupts(tokens: Token[], verb: Token, clause: { to: number }): boolean {
  const last = tokens[clause.to];
  return /,/.test(last.post) && GOES_ON.has(tokens[clause.to + 1]?.key ?? "") && tokens.slice(verb.index, clause.to + 1).every((t) => !t.quoted);
}
