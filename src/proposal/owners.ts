import { DOCUMENTS } from "./documents";
import type { Token } from "./text";

/**
 * Nouns for whoever or whatever speaks for an owner: "Hale's office said", "the senator's campaign said",
 * "according to Johannesburg Water's Twitter page", "the ministry's spokesperson said". The owner is the speaker
 * (unlike "Hernandez's lawyer", someone Hernandez has, who speaks for himself).
 */
const OWNED_VOICES = new Set(["office", "campaign", "spokesperson", "spokesman", "spokeswoman", "page", "account", "handle", "website", "site", "feed", "channel", "timeline", "statement"]);

/** Whether an owner speaks through the noun: "office", "campaign", "spokesman", a document ("Amnesty's report"). */
export const speaksFor = (noun: string) => OWNED_VOICES.has(noun) || DOCUMENTS.has(noun);

/** The owner's words in "X's <voice>" (up to and with "X's"), or null. */
export function voiceOwner(phrase: Token[], noun: string): Token[] | null {
  if (!speaksFor(noun)) return null;
  const owner = phrase.findLastIndex((t) => /[’']s$/.test(t.text) && /^\p{Lu}/u.test(t.text));
  return owner >= 0 ? phrase.slice(0, owner + 1) : null;
}
