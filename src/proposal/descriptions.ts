import type { SourceKind } from "../generated/prisma/client";
import { COMPANY_WORDS } from "./lexicon";
import type { Token } from "./text";

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
