import { isReportVerb, perName } from "./cues";
import { QUOTE_VERBS, VOICE_HEADS } from "./lexicon";
import type { Phrases } from "./phrases";
import type { Speaker, SpeakerResolver } from "./speakers";
import type { Token, Unit } from "./text";

/** "…, according to X" (or "…, per X", business copy's) anywhere in the sentence outside quotation marks, X a plausible speaker. */
export function accordingTo(tokens: Token[], phrases: Phrases, resolver: SpeakerResolver, unit: Unit): Speaker | null {
  for (let i = unit.first; i < unit.last; i++) {
    const at = perName(tokens, i) ? i + 1 : !tokens[i].quoted && tokens[i].key === "according" && tokens[i + 1].key === "to" ? i + 2 : -1;
    if (at < 0) continue;
    // "according to her", "according to figures published by …" (which the tagger reads as a verb): a phrase of its own.
    const phrase = tokens[at]?.tags.has("Pronoun") || VOICE_HEADS.has(tokens[at]?.key.replace(/s$/, "") ?? "") ? [tokens[at]] : phrases.phraseFrom(at);
    // "According to The Associated Press, Cohen said …": a person the sentence has say it spoke; X only reported it.
    const own = tokens.slice(at + phrase.length, unit.last + 1).find((t) => !t.quoted && isReportVerb(tokens, t.index, QUOTE_VERBS));
    if (own && resolver.resolve(phrases.subjectPhrase(at + phrase.length, own.index))?.kind === "PERSON") return null;
    return resolver.plausible(phrase) ? resolver.resolve(phrase) : null;
  }
  return null;
}
