import { DIRECTIVE_VERBS } from "./lexicon";
import type { Token } from "./text";

/**
 * Whether quoted words are an order or a question rather than a claim: every sentence in them a question ("Did
 * they really buy us to close us?") or a command, an imperative that ends in an exclamation mark or a negative
 * one ("Black community, control the police!", "Don't give us a reason to arrest you."). GUIDELINES.md counts
 * orders, requests and questions as no claims (one statement among the questions makes the quotation a claim);
 * compromise tags a verb in the imperative mood. A vocative before it ("Black community,") and "please" are
 * skipped. Other imperatives often carry a claim ("Make no mistake, …", "Let's be clear: …"), and an imperative
 * set off by a comma is a discourse marker ("Look, we did nothing wrong").
 */
export function quotedOrderOrQuestion(inside: Token[]): boolean {
  const said = sentencesOf(inside);
  return said.length > 0 && said.every((sentence) => question(sentence) || imperative(sentence) || request(sentence));
}

/** Whether the quoted words ask something (a question among them): the next quotation is then likely an answer, by someone else. */
export function asks(inside: Token[]): boolean {
  return sentencesOf(inside).some(question);
}

function sentencesOf(inside: Token[]): Token[][] {
  const sentences: Token[][] = [[]];
  for (const t of inside) {
    sentences.at(-1)!.push(t);
    if (/[.!?]/.test(t.post)) sentences.push([]);
  }
  return sentences.filter((s) => s.length > 0);
}

const ASKING = new Set("what why how who whom whose where when which do does did is are was were will would can could should shall has have had may might".split(" "));

/**
 * A plain question: opened by a question word or an inverted auxiliary, ended by "?", short and in one piece. A
 * rhetorical question that states something keeps it in a clause of its own ("I don't have an army - what sort
 * of coup …?", "You're able to turn a profit, … what's going to happen …?") or runs long ("How can this be an
 * improved service when it means 80 children … will increase class sizes …?"): a claim.
 */
function question(sentence: Token[]): boolean {
  if (!/\?/.test(sentence.at(-1)!.post) || !ASKING.has(sentence[0].key) || sentence.length > 20) return false;
  return sentence.slice(0, -1).every((t) => !/[,;:–—]|\s-/.test(t.post));
}

/** "I would urge anyone who is interested … to attend", "We ask the government to allow …": a request in the first person. */
const WH_WORDS = new Set(["how", "what", "where", "when", "whether", "why", "who"]);

function request(sentence: Token[]): boolean {
  if (!["i", "we"].includes(sentence[0]?.key ?? "")) return false;
  const verb = sentence.slice(1, 4).findIndex((t) => t.tags.has("Verb") && !t.tags.has("Auxiliary"));
  // Present or modal ("I urge", "I would urge"), not a report of one ("I told them to leave" is a statement).
  if (verb < 0 || !DIRECTIVE_VERBS.has(sentence[verb + 1].lemma) || sentence[verb + 1].tags.has("PastTense")) return false;
  const rest = sentence.slice(verb + 2, verb + 14);
  const to = rest.findIndex((t, k) => t.key === "to" && rest[k + 1]?.tags.has("Verb"));
  // Not "I cannot tell Hillary how to behave": a negated verb asks nothing, and "how to" is no order.
  const negated = sentence.slice(1, verb + 1).some((t) => ["not", "never", "cannot", "can't", "won't", "n't"].includes(t.key) || t.tags.has("Negative"));
  return to > 0 && !negated && !WH_WORDS.has(rest[to - 1].key) && !rest.slice(0, to).some((t) => t.key === "that" || /[.;:]/.test(t.post));
}

function imperative(sentence: Token[]): boolean {
  let i = 0;
  // A short vocative before a comma: "Black community, …", "Folks, …".
  const comma = sentence.findIndex((t) => /,/.test(t.post));
  if (comma >= 0 && comma < 3 && sentence.slice(0, comma + 1).every((t) => !t.tags.has("Verb") && !t.tags.has("Pronoun"))) i = comma + 1;
  if (sentence[i]?.key === "please") i++;
  const first = sentence[i];
  if (!first) return false;
  // "Don't give …", "Do not …": a negative imperative (compromise splits "Don't" into the auxiliary and a negative).
  // (Not when a clause of its own follows a comma: "Don't worry, I'm not leaving the stage" states something.)
  if (["don't", "dont", "do"].includes(first.key) && sentence.slice(i + 1, i + 3).some((t) => t.tags.has("Imperative") || t.tags.has("Infinitive"))) return !sentence.slice(i, -1).some((t) => /,/.test(t.post));
  // (compromise may read a capitalised verb before its object as a name: "“Save our clinics now!”".)
  const next = sentence[i + 1];
  const verb = first.tags.has("Imperative") || first.tags.has("Infinitive") || (first.tags.has("ProperNoun") && Boolean(next && (next.tags.has("Possessive") || next.tags.has("Determiner"))));
  return verb && !/,/.test(first.post) && /!/.test(sentence.at(-1)!.post) && !sentence.some((t) => /[:;]/.test(t.post));
}
