import { REPORT_VERBS } from "./lexicon";
import type { Phrases } from "./phrases";
import type { Token } from "./text";

/**
 * "…, and knocked down the Western Cape government saying on Thursday that vendors would be allowed …": a participle
 * of saying right after a noun phrase (no comma between) is that phrase's, a reduced relative clause ("the government,
 * which said …"); its content is a claim of that phrase's referent, not of the sentence's subject. Returns the phrase.
 */
export function ownNounSaying(tokens: Token[], phrases: Phrases, t: Token): Token[] | null {
  const before = tokens[t.index - 1];
  if (!t.tags.has("Gerund") || !REPORT_VERBS.has(t.lemma) || t.quoted || !before || /[,;:(—–-]/.test(before.post) || !phrases.nominal(before) || before.tags.has("Pronoun")) return null;
  // A clause must follow: "that", or a subject and verb within a few words ("saying on Thursday vendors would …"), in the
  // same sentence ("… received a weather briefing. These were …" is none).
  const next: Token[] = [];
  for (let k = t.index; k < t.index + 5 && !/[.!?;:]/.test(tokens[k].post) && tokens[k + 1]?.paragraph === t.paragraph; k++) next.push(tokens[k + 1]);
  if (!next.some((n) => n.key === "that") && !next.some((n) => n.tags.has("Verb") && !n.tags.has("Gerund"))) return null;
  const phrase = phrases.phraseEndingAt(before.index, Math.max(0, before.index - 8), 0);
  return phrase.length > 0 ? phrase : null;
}
