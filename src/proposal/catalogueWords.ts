import type { CatalogueSource } from "./speakers";
import { matchKey, type Token } from "./text";

/**
 * Whether one lower-case word cannot name the catalogue sources its key matches: it is no surname of a
 * person ("said the lo-fi…"), no pronoun, and no acronym ("the doctor who identified the virus" is not the
 * WHO, "told us" not the US): acronyms are written in capitals.
 */
export function lowerCaseMiss(word: Token, sources: CatalogueSource[]): boolean {
  if (/^\p{Lu}/u.test(word.text)) return false;
  if ((sources.length === 1 && sources[0].kind === "PERSON") || word.tags.has("Pronoun")) return true;
  return sources.every((s) => [s.name, ...s.aliases].some((a) => matchKey(a) === word.key && /^\p{Lu}{2,}$/u.test(a)));
}
