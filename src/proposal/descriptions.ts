import type { SourceKind } from "../generated/prisma/client";
import { COMPANY_WORDS, PERSON_ROLES, TITLES } from "./lexicon";
import { capital, type Token } from "./text";

/** What institutions are called: the nouns a description of one ends in, and the kind of source a name suggests. */

/**
 * Kinds of institution news copy refers back to ("IG Metall, Germany's largest union, … the union said"). Unlike
 * "the company", they name a kind the antecedent must be shown to be: in its name, in the words right after
 * it ("IG Metall, Germany's largest union"), or as the only organisation of its kinds named before.
 */
export const SPECIFIC_DESCRIPTIONS: Record<string, SourceKind[]> = {
  union: ["OTHER", "POLITICAL_GROUP"], airline: ["OTHER"], carrier: ["OTHER"],
  bank: ["OTHER", "GOVERNMENT_AGENCY"], lender: ["OTHER"], insurer: ["OTHER"], retailer: ["OTHER"],
  automaker: ["OTHER"], carmaker: ["OTHER"], manufacturer: ["OTHER"], maker: ["OTHER"], producer: ["OTHER"],
  operator: ["OTHER"], giant: ["OTHER"], conglomerate: ["OTHER"], employer: ["OTHER"], club: ["OTHER"],
  team: ["OTHER"], league: ["OTHER"], federation: ["OTHER", "INTERNATIONAL_ORGANIZATION"],
  association: ["OTHER"], charity: ["OTHER"], university: ["OTHER"], board: ["GOVERNMENT_AGENCY", "OTHER"],
  authority: ["GOVERNMENT_AGENCY"], commission: ["GOVERNMENT_AGENCY", "INTERNATIONAL_ORGANIZATION"],
  regulator: ["GOVERNMENT_AGENCY"], watchdog: ["GOVERNMENT_AGENCY", "OTHER"],
};

/** Description heads ("the ministry") and the kinds of actor each can describe. */
export const DESCRIPTIONS: Record<string, SourceKind[]> = {
  department: ["GOVERNMENT_AGENCY"],
  ministry: ["GOVERNMENT_AGENCY"],
  agency: ["GOVERNMENT_AGENCY"],
  embassy: ["GOVERNMENT_AGENCY"],
  office: ["GOVERNMENT_AGENCY"],
  government: ["GOVERNMENT"],
  administration: ["GOVERNMENT"],
  military: ["MILITARY"],
  army: ["MILITARY"],
  militia: ["MILITIA"],
  group: ["MILITIA", "POLITICAL_GROUP", "THINK_TANK", "OTHER"],
  party: ["POLITICAL_GROUP"],
  organization: ["INTERNATIONAL_ORGANIZATION", "OTHER"],
  organisation: ["INTERNATIONAL_ORGANIZATION", "OTHER"],
  company: ["OTHER"],
  firm: ["OTHER"],
  hospital: ["OTHER"],
  system: ["OTHER", "GOVERNMENT_AGENCY"],
  trust: ["OTHER"],
  court: ["OTHER"],
  council: ["GOVERNMENT_AGENCY", "OTHER"],
  committee: ["GOVERNMENT_AGENCY", "OTHER"],
  institute: ["THINK_TANK"],
  newspaper: ["MEDIA"],
  network: ["MEDIA"],
  centre: ["GOVERNMENT_AGENCY", "THINK_TANK", "OTHER"],
  center: ["GOVERNMENT_AGENCY", "THINK_TANK", "OTHER"],
  body: ["GOVERNMENT_AGENCY", "INTERNATIONAL_ORGANIZATION", "OTHER"],
  ...SPECIFIC_DESCRIPTIONS,
};


/** Descriptions any kind of institution may go by. */
/** What a company has and a person does not: "Shell's profit", "Telefonica's shares". */
export const COMPANY_BELONGINGS = new Set(["profit", "profits", "revenue", "revenues", "earnings", "sales", "shares", "stock", "turnover", "dividend", "subscribers", "shareholders"]);
export const GENERIC_BODIES = new Set(["agency", "body", "organisation", "organization", "centre", "center"]);

export const ORG_HEADS = new Set([...Object.keys(DESCRIPTIONS), ...COMPANY_WORDS, "bureau", "centers", "center", "centre", "service", "police", "constabulary"]);

const KIND_WORDS: [RegExp, SourceKind][] = [
  [/\b(ministry|department|agency|embassy|office|bureau|commission|centers|centres)\b/, "GOVERNMENT_AGENCY"],
  [/\b(government|administration|officials|cabinet|white house|kremlin|downing street)\b/, "GOVERNMENT"],
  [/\b(army|military|forces|navy|air force|command)\b/, "MILITARY"],
  [/\b(militia|brigades?|rebels?)\b/, "MILITIA"],
  [/\b(party|leaders|lawmakers|congress|parliament|senators|republicans|democrats)\b/, "POLITICAL_GROUP"],
  [/\b(institute|center|centre|foundation|think tank|council)\b/, "THINK_TANK"],
  [/\b(times|post|news|journal|tv|television|newspaper|magazine|radio)\b/, "MEDIA"],
  [/\b(united nations|nato|world bank|imf|european union|who|world health organization)\b/, "INTERNATIONAL_ORGANIZATION"],
];

export function singular(word: string): string {
  if (word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

export function guessKind(name: string): SourceKind {
  const lower = name.toLowerCase();
  return KIND_WORDS.find(([pattern]) => pattern.test(lower))?.[1] ?? "OTHER";
}

/** "the 30-year-old", "The 23-year-old": sport's and court copy's description of the person just named. */
export function ageDescription(phrase: Token[]): boolean {
  return /^the \d+ year old$/.test(phrase.map((t) => t.key).join(" ").replace(/-/g, " "));
}

/**
 * The words of a new source's name in the phrase that named it, without the words describing it: what an institution
 * does, adjectives before a name, and titles before a person's given name (kept as their role). Says whether the phrase
 * named an organisation after its description, a person after a role ("titled"), or a person after titles ("retitled").
 */
export function nameWords(rest: Token[]): { words: Token[]; organisation: boolean; titled: boolean; retitled: boolean } {
  // "Finnish crane maker Konecranes", "cosmetics retailer Estee Lauder Cos.": what an institution does is not its name.
  const doing = rest.findLastIndex((t) => !capital(t) && t.tags.has("Noun")) + 1;
  // "The main opposition Bangladesh Nationalist Party", "the ruling Awami League": lower-case words before a name of several capitalised words describe it.
  const organisation = doing > 0 && doing < rest.length && (ORG_HEADS.has(singular(rest[doing - 1].key)) || (rest.length - doing >= 2 && rest.slice(doing).every(capital)));
  // "AIADMK councillor M Chandrasekar": a name after a lower-case word for a person's role is that person's.
  const titled = organisation && PERSON_ROLES.has(singular(rest[doing - 1].key)) && rest.length - doing <= 4;
  let words = organisation ? rest.slice(doing) : rest;
  // ("The latest Ministry of Health figures", "the newly formed Reform Party": lower-case adjectives before a name describe it.)
  if (!organisation && !capital(rest[0]) && rest[0].tags.has("Adjective")) words = rest.slice(Math.max(0, rest.findIndex((t, k) => capital(t) && rest.slice(0, k).every((w) => !capital(w) && (w.tags.has("Adjective") || w.tags.has("Adverb"))))));
  // "Sen. Angus King" (a surname the index of people takes for a title): titles before a given name are a role.
  const given = words.findIndex((t) => capital(t) && !TITLES.has(t.key) && t.tags.has("Person") && !t.tags.has("Honorific"));
  const retitled = !organisation && given > 0 && words.length - given >= 2 && words.slice(0, given).every((t) => TITLES.has(t.key) || t.tags.has("Honorific"));
  if (retitled) words = words.slice(given);
  return { words, organisation, titled, retitled };
}
