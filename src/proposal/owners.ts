import { DOCUMENTS } from "./documents";
import type { Gender } from "./people";
import { singular } from "./descriptions";
import type { Token } from "./text";

/**
 * Nouns for whoever or whatever speaks for an owner: "Hale's office said", "the senator's campaign said",
 * "according to Johannesburg Water's Twitter page", "the ministry's spokesperson said". The owner is the speaker
 * (unlike "Hernandez's lawyer", someone Hernandez has, who speaks for himself).
 */
const OWNED_VOICES = new Set(["office", "campaign", "spokesperson", "spokesman", "spokeswoman", "page", "account", "handle", "website", "site", "feed", "channel", "timeline", "statement"]);

/** Words that make a document one about its owner rather than by them. */
const ABOUT_OWNER = new Set(["autopsy", "post-mortem", "postmortem", "medical", "toxicology", "police", "court", "criminal", "credit", "school", "psychiatric", "probation", "pathology", "coroner"]);

/** Whether an owner speaks through the noun: "office", "campaign", "spokesman", a document ("Amnesty's report"). */
export const speaksFor = (noun: string) => OWNED_VOICES.has(noun) || DOCUMENTS.has(noun);

/** The owner's words in "X's <voice>" (up to and with "X's"), or null. */
export function voiceOwner(phrase: Token[], noun: string): Token[] | null {
  if (!speaksFor(noun)) return null;
  const owner = phrase.findLastIndex((t) => /[’']s$/.test(t.text) && /^\p{Lu}/u.test(t.text));
  // "Floyd's autopsy report", "the suspect's police record": a document about its owner, written by someone else.
  if (owner < 0 || (DOCUMENTS.has(noun) && phrase.slice(owner + 1).some((t) => ABOUT_OWNER.has(t.key)))) return null;
  return phrase.slice(0, owner + 1);
}

/** Possessive pronouns of a person, and the gender of who they mean. */
export const OWNER_PRONOUNS: Record<string, Gender> = { his: "m", her: "f" };

/** "His campaign", "her office": a person's voice named by a pronoun (not "his lawyer", someone he has). */
export function pronounVoice(phrase: Token[]): boolean {
  return phrase.length === 2 && phrase[0].key in OWNER_PRONOUNS && speaksFor(singular(phrase[1].key));
}
