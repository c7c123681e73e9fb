import { SUFFIXES } from "./lexicon";
import type { Person } from "./people";

/**
 * The people named so far, in the order they were found, looked up by name in a map: a list searched for
 * every mention (and lower-cased again each time) was quadratic in the names of a long article.
 */
export class Roster {
  private readonly people: Person[] = [];
  private readonly byName = new Map<string, Person>();
  /** Places in `people` by each ending of a name ("philip lo", "lo"), and by a name's first word. */
  private readonly byEnding = new Map<string, number[]>();
  private readonly byFirst = new Map<string, number[]>();

  add(person: Person) {
    const place = this.people.push(person) - 1;
    const words = person.words.map((w) => w.toLowerCase());
    if (!this.byName.has(person.name.toLowerCase())) this.byName.set(person.name.toLowerCase(), person);
    const note = (index: Map<string, number[]>, key: string) => index.set(key, [...(index.get(key) ?? []), place]);
    for (let k = 1; k <= words.length; k++) note(this.byEnding, words.slice(-k).join(" "));
    // "Dakila" is "Francisco Dakila Jr.".
    const bare = SUFFIXES.has(words.at(-1)!.replace(/\.$/, "")) ? words.slice(0, -1) : [];
    for (let k = 1; k <= bare.length; k++) note(this.byEnding, bare.slice(-k).join(" "));
    note(this.byFirst, words[0]);
  }

  /** The first person of that full name (lower case). */
  named(key: string): Person | undefined {
    return this.byName.get(key);
  }

  /** Everyone whose name ends with `key`'s words, or, for a single word, starts with it; in the order found. */
  endingWith(key: string): Person[] {
    const places = new Set([...(this.byEnding.get(key) ?? []), ...(key.includes(" ") ? [] : (this.byFirst.get(key) ?? []))]);
    return [...places].sort((a, b) => a - b).map((place) => this.people[place]);
  }
}
