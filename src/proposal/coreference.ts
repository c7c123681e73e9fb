import type { People, Person } from "./people";
import type { Token } from "./text";

/**
 * Role nouns and the people they refer to. A description names a role ("the Premier", "the judge",
 * "the chief executive"); newswriting gives the role once, with the name ("Queensland Premier Annastacia
 * Palaszczuk", "Justice Iain Morley"), and refers back to it by the role alone.
 */

/** Roles that exclude each other, and roles one description covers ("the judge" is the Justice). */
const ROLE_FAMILY: Record<string, string> = {
  prosecutor: "prosecution", lawyer: "defence", counsel: "defence", defense: "defence", defence: "defence", judge: "bench", justice: "bench",
  magistrate: "bench", coach: "coach", manager: "coach", boss: "coach", tactician: "coach", gaffer: "coach", player: "player", striker: "player",
  defender: "player", midfielder: "player", goalkeeper: "player", captain: "player",
};

const roleWords = (role: string) => role.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);

/** Whether a person given `role` may be what the description `noun` means: no word of another role family. */
export function roleAllows(role: string | null, noun: string | undefined): boolean {
  const family = noun ? ROLE_FAMILY[noun] : undefined;
  return !family || !role || !roleWords(role).some((w) => ROLE_FAMILY[w] && ROLE_FAMILY[w] !== family);
}

/** Whether `role` is the role `noun` names: the same word ("Premier" / "the premier") or the same family ("Justice" / "the judge"). */
export function holdsRole(role: string | null, noun: string): boolean {
  if (!role) return false;
  const family = ROLE_FAMILY[noun];
  return roleWords(role).some((w) => w === noun || (family !== undefined && ROLE_FAMILY[w] === family));
}

/** The person last named before `offset` with the role `noun` names: "the Premier" is the Premier the article named. */
export function titleHolder(people: People, offset: number, noun: string): Person | null {
  return people.before(offset, 0).find((m) => holdsRole(m.person.role, noun))?.person ?? null;
}

/**
 * A delayed identification lede: "An NHS chief executive said …" in the first paragraph, the person
 * named at the start of the next ("Nick Hulme was speaking …"). The indefinite description is that person.
 */
export function cataphoricPerson(people: People, tokens: Token[], phrase: Token[]): Person | null {
  const first = phrase[0];
  if (!["a", "an"].includes(first.key) || first.paragraph !== tokens[0]?.paragraph) return null;
  const next = people.mentions.find((m) => m.paragraph === first.paragraph + 1);
  if (!next || !next.opensSentence) return null;
  // The name opens the paragraph's first sentence: a few title words at most before it.
  const opening = tokens.find((t) => t.paragraph === next.paragraph)!;
  const lead = tokens.slice(opening.index, next.first);
  return lead.length <= 6 && !lead.some((t) => /[.!?]/.test(t.post)) ? next.person : null;
}
