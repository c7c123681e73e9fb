import type { CatalogueSource } from "./speakers";
import type { Person } from "./people";
import { matchKey, type Token } from "./text";

/**
 * Whether one word cannot name the catalogue sources its key matches. A pronoun names none, capital or
 * not ("He said" is no alias "He" of He Lifeng, "It said" no "IT" ministry), unless written as the
 * acronym it is ("IT"). A lower-case word is no surname of a person ("said the lo-fi…") and no acronym
 * ("the doctor who identified the virus" is not the WHO, "told us" not the US): acronyms are written in capitals.
 */
export function wordMiss(word: Token, sources: CatalogueSource[]): boolean {
  if (word.tags.has("Pronoun")) return !(/^\p{Lu}{2,}$/u.test(word.text) && sources.some((s) => [s.name, ...s.aliases].includes(word.text)));
  if (/^\p{Lu}/u.test(word.text)) return false;
  if (sources.length === 1 && sources[0].kind === "PERSON") return true;
  return sources.every((s) => [s.name, ...s.aliases].some((a) => matchKey(a) === word.key && /^\p{Lu}{2,}$/u.test(a)));
}

/**
 * Whether a catalogue person can be the article's person: a surname alone (the article gives no
 * more) can, a full name must be the source's name or alias, or agree on the first and last words
 * ("John F. Kirby" for "John Kirby"). Matched on the surname alone, "Jane Smith" was the
 * catalogue's John Smith and "Mike Hook" its Brian Hook, with resolution NAME.
 */
export function samePerson(person: Person, source: CatalogueSource): boolean {
  if (person.words.length < 2) return true;
  const key = matchKey(person.name);
  if ([source.name, ...source.aliases].some((n) => matchKey(n) === key)) return true;
  const [mine, theirs] = [key.split(" "), matchKey(source.name).split(" ")];
  return theirs.length >= 2 && mine[0] === theirs[0] && mine.at(-1) === theirs.at(-1);
}
