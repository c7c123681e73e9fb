import type { Gender, People, Person, PersonMention } from "./people";
import type { SpokenBy } from "./speakers";
import { lowerBound, matchKey, type Token } from "./text";
import { singular } from "./descriptions";

/** How many of the latest person mentions and speakers a reference looks back over (see People.before). */
export const LOOKBACK = 400;

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

const COURT_ROLES = new Set(["prosecutor", "lawyer", "counsel", "attorney", "solicitor", "barrister", "judge", "justice", "magistrate", "defence", "defense"]);

/** Titles written short before a name: "Sen. Panfilo Lacson" is a senator. */
const ABBREVIATED: Record<string, string> = {
  sen: "senator", sens: "senator", rep: "representative", reps: "representative", gov: "governor", cllr: "councillor", cllrs: "councillor", coun: "councillor",
  cr: "councillor", det: "detective", insp: "inspector", supt: "superintendent", atty: "attorney", capt: "captain", sgt: "sergeant", prof: "professor",
};

const roleWords = (role: string) => role.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean).map((w) => ABBREVIATED[w] ?? w);

/** Whether a person given `role` may be what the description `noun` means: no word of another role family. */
export function roleAllows(role: string | null, noun: string | undefined): boolean {
  const family = noun ? ROLE_FAMILY[noun] : undefined;
  return !family || !role || !roleWords(role).some((w) => ROLE_FAMILY[w] && ROLE_FAMILY[w] !== family);
}

/** Whether `role` is the role `noun` names: the same word ("Premier" / "the premier") or the same family ("Justice" / "the judge"). */
export function holdsRole(role: string | null, noun: string): boolean {
  if (!role) return false;
  const family = ROLE_FAMILY[noun];
  return roleWords(role).some((w) => singular(w) === noun || (family !== undefined && ROLE_FAMILY[w] === family));
}

/**
 * "Haryana chief minister said …" after "Haryana chief minister Nayab Singh Saini": the words the article wrote
 * before a name, used again without it, are that person.
 */
export function titledBefore(people: People, tokens: Token[], phrase: Token[]): Person | null {
  const words = phrase.filter((t, i) => i > 0 || !["the", "a", "an"].includes(t.key)).map((t) => t.key);
  if (words.length < 2) return null;
  const same = (m: { first: number }) => words.every((w, i) => tokens[m.first - words.length + i]?.key === w);
  return people.before(phrase[0].start, 0).find(same)?.person ?? null;
}

/** The person last named before `offset` with the role `noun` names: "the Premier" is the Premier the article named. */
export function titleHolder(people: People, offset: number, noun: string): Person | null {
  return people.before(offset, 0).find((m) => holdsRole(m.person.role, noun))?.person ?? null;
}

/**
 * A delayed identification lede: "An NHS chief executive said …" or "Ukraine's foreign minister said …"
 * in the first paragraph, the person named at the start of the next ("Nick Hulme was speaking …").
 */
export function cataphoricPerson(people: People, tokens: Token[], phrase: Token[]): Person | null {
  const first = phrase[0];
  // "…, two senators said Tuesday." in a lede: a joint statement, whose first speaker given that role the article names later.
  if (["two", "three", "four", "both"].includes(first.key) && phrase.length === 2 && phrase[1].tags.has("Plural") && first.paragraph === tokens[0]?.paragraph) {
    const noun = singular(phrase[1].key);
    return people.mentions.find((m) => m.paragraph > first.paragraph && m.paragraph <= first.paragraph + 6 && holdsRole(m.person.role, noun))?.person ?? null;
  }
  // "An NHS chief executive", "Ukraine's foreign minister": indefinite, or an office of a place; "…, its council leader has
  // said": a possessive description with nobody named before it.
  const office = /[’']s$/.test(first.text) && first.tags.has("Place");
  const indefinite = ["a", "an"].includes(first.key);
  // (A wire lede's "…, the deputy leader of X said on Thursday." too, when nobody was named before it: then only the
  // person the next paragraphs give that role.)
  const definite = first.key === "the" && !(people.mentions[0]?.first < first.index); // (mentions are in reading order)
  if (!(indefinite || office || definite || ["its", "their"].includes(first.key)) || first.paragraph !== tokens[0]?.paragraph) return null;
  const noun = singular(phrase.at(-1)!.key);
  // ("Jens Spahn, health minister and deputy CDU leader, told …": the role may be given in apposition after the name.)
  const apposed = (m: PersonMention) => {
    if (!/,/.test(tokens[m.last].post)) return false;
    for (const t of tokens.slice(m.last + 1, m.last + 9)) {
      if (t.quoted) return false;
      if (singular(t.key) === noun) return true;
      if (/[,.;:!?]/.test(t.post)) return false;
    }
    return false;
  };
  const holderIn = (from: number, to: number) => people.mentions.find((m) => m.paragraph >= from && m.paragraph <= to && (holdsRole(m.person.role, noun) || apposed(m)))?.person;
  const next = people.mentions.find((m) => m.paragraph === first.paragraph + 1);
  // "A Galway county councillor has claimed …" then "The homes of Fianna Fáil councillors Noel Thomas and …": the first
  // person of the next paragraph given the description's role, wherever the name stands in its sentence.
  const holder = next ? holderIn(next.paragraph, next.paragraph) : undefined;
  if (holder) return holder;
  // The name opens the paragraph's first sentence: a few title words at most before it.
  if (next?.opensSentence && (indefinite || office)) {
    const opening = tokens.find((t) => t.paragraph === next.paragraph)!;
    const lead = tokens.slice(opening.index, next.first);
    if (lead.length <= 6 && !lead.some((t) => /[.!?]/.test(t.post))) return next.person;
  }
  // "A councillor has claimed …", the councillor named three paragraphs on ("Coun Dawn Collins said: …"): the first person
  // given that role in the next few paragraphs.
  return holderIn(first.paragraph + 1, first.paragraph + 4) ?? null;
}

/**
 * The person a pronoun or role description refers to: the person the article gave that role; else the
 * more recent of the last person to open a sentence (the sentence's subject, as newswriting orders it)
 * and the last person quoted, within two paragraphs; else the nearest person named there; else, when
 * nobody at all is named or quoted in those paragraphs, the last person before them ("Speaking at …, he
 * said" three paragraphs after the minister's lede). Each only if the pronoun's gender, or the
 * description's role, allows.
 */
export function personAntecedent(people: People, tokens: Token[], spoken: SpokenBy[], at: Token, gender: Gender, role?: string, depth = 0): Person | SpokenBy | null {
  // "the Premier" is the person the article gave that title, however far back.
  const holder = role ? titleHolder(people, at.start, role) : null;
  if (holder) return holder;
  // "Ivan Rusk was charged. The prosecutor said …": a court's role is the person given it, or one speaking just before
  // ("Houle said … // “…,” the prosecutor said"), never merely the last person named (the defendant, as often as not).
  if (role && COURT_ROLES.has(role)) {
    const last = spoken.slice(-LOOKBACK).findLast((s) => s.offset <= at.start && s.paragraph >= at.paragraph - 2 && s.speaker.kind === "PERSON");
    // (With nobody else named since: "Ivan Rusk was charged" after another's quotation is the defendant's news.)
    const since = last ? people.before(at.start, last.paragraph).filter((m) => m.start > last.offset && !tokens[m.first].quoted) : [];
    return last && roleAllows(last.speaker.role, role) && since.every((m) => matchKey(m.person.name) === matchKey(last.speaker.name)) ? last : null;
  }
  // "the prosecutor" is not the person introduced as a defence lawyer; "the coach" may be the manager.
  const fits = (g: Gender, r: string | null) => (!gender || !g || g === gender) && roleAllows(r, role);
  const before = people.before(at.start, 0);
  // "… stems from Fordjour’s demand for an explanation over the flights, which he alleged were …": a pronoun opening a
  // relative clause's own clause is the first person its sentence named before it.
  const inSentence = !role && ["which", "that", "who", "whom"].includes(tokens[at.index - 1]?.key ?? "") ? before.filter((m) => m.paragraph === at.paragraph).findLast((m) => sameSentence(tokens, m.end, at.start)) : undefined;
  if (inSentence && fits(inSentence.person.gender, inSentence.person.role)) return inSentence.person;
  const near = before.filter((m) => m.paragraph >= at.paragraph - 2);
  const speakers = spoken.slice(-LOOKBACK).filter((s) => s.offset <= at.start && (s.speaker.kind === "PERSON" || s.speaker.voice)).reverse();
  const opener = near.find((m) => m.opensSentence && fits(m.person.gender, m.person.role));
  const last = speakers.find((s) => s.paragraph >= at.paragraph - 2);
  const lastSpoken = last && fits(last.speaker.gender, last.speaker.role) ? last : undefined;
  // "She had also been runner-up to Serena Williams. // “…,” she said.": a pronoun of the same gender opening a sentence
  // after the last subject named or speaking carries that subject on; this one means what that one meant.
  const since = Math.max(opener?.end ?? -1, lastSpoken?.offset ?? -1, tokens.find((t) => t.paragraph >= at.paragraph - 2)?.start ?? 0);
  const chained = gender && !role && depth < 4 ? pronounSubjectBetween(people, tokens, since, at, gender) : undefined;
  if (chained) return personAntecedent(people, tokens, spoken, chained, gender, role, depth + 1);
  if (opener && (!lastSpoken || opener.start > lastSpoken.offset || sameSentence(tokens, opener.end, at.start))) return opener.person;
  if (lastSpoken) return lastSpoken;
  const nearest = near.find((m) => fits(m.person.gender, m.person.role));
  if (nearest || near.length > 0 || last) return nearest?.person ?? null;
  const earlier = before.find((m) => fits(m.person.gender, m.person.role));
  const earlierSpoken = speakers.find((s) => fits(s.speaker.gender, s.speaker.role));
  if (earlierSpoken && (!earlier || earlierSpoken.offset >= earlier.end)) return earlierSpoken;
  return earlier?.person ?? null;
}

const GENDERED: Record<string, Gender> = { he: "m", she: "f" };
/** Tokens in the longest sentence (lines of at most 1,500 characters reach the tagger). */
const SENTENCE_TOKENS = 400;

/** The last "he"/"she" of `gender` opening a sentence (not quoted) after the offset `since` and before `at`. */
function pronounSubjectBetween(people: People, tokens: Token[], since: number, at: Token, gender: Gender): Token | undefined {
  for (let k = at.index - 1; k >= 0 && tokens[k].start > since; k--) {
    const t = tokens[k];
    if (!t.quoted && GENDERED[t.key] === gender && people.startsSentence(k)) return t;
  }
  return undefined;
}

function sameSentence(tokens: Token[], from: number, to: number): boolean {
  const [first, last] = [lowerBound(tokens, (t) => t.start >= from), lowerBound(tokens, (t) => t.end > to)];
  // (No sentence handed to the tagger is longer than its 1,500-character lines: further apart is another sentence.)
  if (last - first > SENTENCE_TOKENS) return false;
  const between = tokens.slice(first, last).filter((t) => !t.quoted);
  // A paragraph break ends a sentence, whatever spacing the tokens kept.
  if (new Set(between.map((t) => t.paragraph)).size > 1) return false;
  return !/[.!?]["”’]?\s/.test(between.map((t) => t.text + t.post).join(""));
}

/**
 * "Marsh said" after "said Ken Marsh": the latest new speaker whose name of several words ends with
 * the word. The index of people misses a name the tagger reads as a place ("Ken Marsh"), and the
 * surname alone was proposed as a second new source.
 */
export function speakerEndingWith(spoken: SpokenBy[], key: string): SpokenBy | undefined {
  return spoken.findLast(({ speaker }) => {
    const words = matchKey(speaker.name).split(" ");
    return !speaker.sourceId && words.length > 1 && words.at(-1) === key;
  });
}
