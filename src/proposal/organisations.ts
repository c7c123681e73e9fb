import type { SourceKind } from "../generated/prisma/client";
import { TITLES } from "./lexicon";
import { COMPANY_BELONGINGS, ORG_HEADS, guessKind, singular } from "./descriptions";
import { capital, clean, lowerBound, matchKey, ownerWord, type Token } from "./text";
import { placeBased } from "./phrases";

/** An organisation named in the text, for "it", "they" and "the ministry" to resolve to. */
export interface OrgMention {
  end: number;
  sourceId: string | null;
  name: string;
  kind: SourceKind;
  /** Keys of the words right after the name ("IG Metall, Germany's largest union"). */
  after?: string[];
  /** The institution spoke (a speaker already), rather than being mentioned. */
  spoke?: boolean;
}

/** The longest run of capitalised words taken as one name ("Barking, Havering and Redbridge University Hospitals NHS Trust" is 8). */
const MAX_NAME_WORDS = 16;

/** A single place's name or acronym ("US", "U.S.", "Ghana"). */
const lonePlace = (tokens: Token[], i: number, j: number) => i === j && (tokens[i].tags.has("Place") || tokens[i].tags.has("Acronym"));

/**
 * The organisations an article names, in reading order: runs of capitalised words with an institution's word, an
 * organisation's tag or an acronym, or a catalogue name that is no person's. Acronyms given in brackets after a name
 * ("the Nigeria Centre for Disease Control (NCDC)") go into `acronyms`, so the acronym alone means that name later.
 */
export function organisationsIn(tokens: Token[], catalogueMatch: (run: Token[]) => { id: string; name: string; kind: SourceKind } | null, acronyms: Map<string, OrgMention>): OrgMention[] {
  const orgs: OrgMention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].quoted || !(capital(tokens[i]) || (/^\d/.test(tokens[i].text) && tokens[i].tags.has("Organization")))) continue;
    let j = i;
    // (An institution's name is a few words; a run of capitals longer than MAX_NAME_WORDS, "New New New …", is cut.)
    while (j + 1 < tokens.length && j - i < MAX_NAME_WORDS && !tokens[j + 1].quoted && !/[,;:.]/.test(tokens[j].post) && !endsAtPossessive(tokens, j)) {
      const next = tokens[j + 1];
      if (next.pre.includes("(")) break;
      if (capital(next) || (["of", "for", "and"].includes(next.key) && tokens[j + 2] && capital(tokens[j + 2]))) j++;
      else break;
    }
    // "UAW President Shawn Fain", "Bank of England Governor Andrew Bailey": the institution ends at a title before a name.
    const personTag = (t: Token) => ["Person", "FirstName", "LastName"].some((tag) => t.tags.has(tag));
    const lastPerson = tokens.slice(i + 1, j + 1).findLastIndex(personTag);
    const title = tokens.slice(i + 1, i + 1 + Math.max(0, lastPerson)).findIndex((t) => TITLES.has(t.key));
    if (title >= 0) j = i + title;
    // "$30.01 US", "$4.9 billion U.S.", "in U.S. dollars": a place's name as a currency or a modifier, not an actor.
    const modifier = (t: Token | undefined) => t !== undefined && !capital(t) && t.tags.has("Noun") && !t.tags.has("Verb");
    if (lonePlace(tokens, i, j) && ((i > 0 && tokens[i - 1].tags.has("Value")) || (!/[,;:.]/.test(tokens[j].post) && modifier(tokens[j + 1])))) {
      i = j;
      continue;
    }
    // "Waterloo, Ont.-based Research In Motion": what follows a place's "-based" is an institution, whatever its words.
    const inside = tokens.slice(i, j + 1).findIndex((t) => placeBased(tokens, t.index));
    if (inside >= 0) i += inside + 1;
    const based = inside >= 0 || (i > 0 && placeBased(tokens, i - 1));
    if (i > j) continue;
    const run = tokens.slice(i, j + 1);
    // "NCDC" after "the Nigeria Centre for Disease Control (NCDC)": the acronym the article gave it.
    const expanded = run.length === 1 ? acronyms.get(run[0].key) : undefined;
    if (expanded) {
      orgs.push({ ...expanded, end: tokens[j].end });
      continue;
    }
    const known = catalogueMatch(run);
    // An appositive after a comma, up to the next comma: "IG Metall, Germany's largest union,"; not the subject of the next
    // clause, running on to its verb ("In a statement to the BBC, the regulator said").
    const end = tokens.slice(j + 1, j + 7).findIndex((t) => /[,;:.!?]/.test(t.post));
    const after = /,/.test(tokens[j].post) && end >= 0 ? tokens.slice(j + 1, j + 2 + end).map((t) => singular(t.key)) : [];
    if (known && known.kind !== "PERSON") orgs.push({ end: tokens[j].end, sourceId: known.id, name: known.name, kind: known.kind, after });
    // "Shell's profit rose": a name that owns profits or shares is a company's, though nothing else says so.
    const owner = /[’']s$/.test(tokens[j].text) && COMPANY_BELONGINGS.has(tokens[j + 1]?.key ?? "") && !run.some((t) => ["Person", "FirstName", "LastName", "Honorific"].some((tag) => t.tags.has(tag)));
    if (!(known && known.kind !== "PERSON") && (owner || based || run.some((t) => ORG_HEADS.has(t.key) || t.tags.has("Organization") || (t.tags.has("Acronym") && t.text.length > 1)))) {
      const name = clean(run.slice(run[0].key === "the" && run.length > 1 ? 1 : 0));
      orgs.push({ end: tokens[j].end, sourceId: null, name, kind: guessKind(name), after });
    }
    const acronym = tokens[j + 1];
    if (orgs.at(-1)?.end === tokens[j].end && acronym?.pre.includes("(") && acronym.post.includes(")") && acronym.tags.has("Acronym")) acronyms.set(acronym.key, orgs.at(-1)!);
    i = j;
  }
  return orgs;
}

/**
 * Whether an institution's name ends at a possessive: "Germany's foreign ministry", "Texas's Department of Public Safety"
 * (a place's or a person's), but not "Sheriff's Office", "Nurses’ Association" (an institution's word follows).
 */
function endsAtPossessive(tokens: Token[], j: number): boolean {
  const next = tokens[j + 1];
  return /[’']s$/.test(tokens[j].text) && (ownerWord(tokens[j]) || !(capital(next) && ORG_HEADS.has(next.key)));
}

/** Words that name an institution and nothing else ("the defence", "the women" are no Ministry of Defence, no UN Women). */
const INSTITUTION_WORDS = new Set(["district", "school", "college", "academy", "church", "service", "bureau", "directorate", "secretariat", "foundation", "cartel", "utility", "broadcaster"]);

/**
 * The institution a phrase "the <word>" means: the one named last before it whose name ends in that word, one of
 * INSTITUTION_WORDS ("the district" after "the Del Mar Union School District"). An index of the names' last words,
 * searched by offset, so thousands of "the district said" stay linear in the article.
 */
export function namedByLastWord(orgs: OrgMention[]): (phrase: Token[]) => OrgMention | null {
  const byWord = new Map<string, OrgMention[]>();
  for (const m of orgs) {
    const word = matchKey(m.name).split(" ").at(-1)!;
    if (!INSTITUTION_WORDS.has(word)) continue;
    if (!byWord.has(word)) byWord.set(word, []);
    byWord.get(word)!.push(m);
  }
  return (phrase) => {
    const named = phrase.length === 2 && phrase[0].key === "the" ? (byWord.get(phrase[1].key) ?? []) : [];
    return named[lowerBound(named, (m) => m.end > phrase[0].start) - 1] ?? null;
  };
}
