import type { SourceKind } from "../generated/prisma/client";
import type { SpeakerResolution } from "./service";
import { matchKey, type Token } from "./text";

/** The sources a speaker may resolve to, with every name they are known by. */
export interface CatalogueSource {
  id: string;
  name: string;
  kind: SourceKind;
  aliases: string[];
}

export interface Speaker {
  start: number;
  end: number;
  sourceId: string | null;
  resolution: SpeakerResolution;
  /** Name for a new source (when no existing one matched). */
  name: string;
  kind: SourceKind;
}

/** A mention of an actor in the text, for pronouns and descriptions to resolve to. */
interface Mention {
  end: number;
  sourceId: string | null;
  name: string;
  kind: SourceKind;
  person: boolean;
  plural: boolean;
}

const PERSON_PRONOUNS = new Set(["he", "she"]);
const GROUP_PRONOUNS = new Set(["they", "it", "we"]);
const LEADING_WORDS = new Set(["the", "a", "an", "other", "some", "several", "many", "two", "three", "both", "senior", "top", "its", "his", "her", "their"]);

/** Description heads ("the ministry") and the kinds of actor each can describe. */
const DESCRIPTIONS: Record<string, SourceKind[]> = {
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
  institute: ["THINK_TANK"],
  newspaper: ["MEDIA"],
  network: ["MEDIA"],
};

/** Words that make a common noun phrase a plausible speaker ("officials", "the ministry"). */
export const SPEAKER_NOUNS = new Set([
  ...Object.keys(DESCRIPTIONS),
  ...["official", "spokesman", "spokeswoman", "spokesperson", "minister", "president", "leader", "lawmaker", "senator", "legislator"],
  ...["analyst", "expert", "researcher", "scientist", "economist", "diplomat", "commander", "general", "officer", "police", "prosecutor"],
  ...["critic", "activist", "witness", "resident", "source", "aide", "adviser", "advisor", "lawyer", "attorney", "judge", "court", "council"],
  ...["statement", "report", "study", "survey", "secretary", "ambassador", "governor", "mayor", "chief", "director", "ceo", "union", "campaign"],
]);

const KIND_WORDS: [RegExp, SourceKind][] = [
  [/\b(ministry|department|agency|embassy|office|bureau|commission)\b/, "GOVERNMENT_AGENCY"],
  [/\b(government|administration|officials|cabinet|white house|kremlin)\b/, "GOVERNMENT"],
  [/\b(army|military|forces|navy|air force|command)\b/, "MILITARY"],
  [/\b(militia|brigades?|rebels?)\b/, "MILITIA"],
  [/\b(party|leaders|lawmakers|congress|parliament|senators)\b/, "POLITICAL_GROUP"],
  [/\b(institute|center|centre|foundation|think tank|council)\b/, "THINK_TANK"],
  [/\b(times|post|news|journal|agency|tv|television|newspaper|magazine|radio)\b/, "MEDIA"],
  [/\b(united nations|nato|world bank|imf|european union|who)\b/, "INTERNATIONAL_ORGANIZATION"],
];

const words = (tokens: Token[]) => tokens.map((t) => t.key).join(" ");

/** Name and alias lookup over the catalogue, plus earlier mentions for coreference. */
export class SpeakerResolver {
  private readonly byKey = new Map<string, CatalogueSource[]>();
  private readonly byId = new Map<string, CatalogueSource>();
  private readonly mentions: Mention[] = [];
  private readonly surnames = new Set<string>();
  private readonly longestKey: number;

  constructor(sources: CatalogueSource[]) {
    let longest = 1;
    for (const source of sources) {
      this.byId.set(source.id, source);
      const keys = new Set([source.name, ...source.aliases].map(matchKey));
      // A person is also named by their surname alone (capitalised: "will" is not Mr Will).
      const surname = matchKey(source.name).split(" ").at(-1)!;
      if (source.kind === "PERSON" && !keys.has(surname)) {
        keys.add(surname);
        this.surnames.add(surname);
      }
      for (const key of keys) {
        this.byKey.set(key, [...(this.byKey.get(key) ?? []), source]);
        longest = Math.max(longest, key.split(" ").length);
      }
    }
    this.longestKey = longest;
  }

  /** Records every name the text mentions, in reading order, for later pronouns and descriptions. */
  noteMentions(tokens: Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const found = this.longestMatch(tokens, i, tokens.length);
      if (found) {
        this.mentions.push(this.mentionOf(found.source, tokens[found.last].end));
        i = found.last;
        continue;
      }
      if (tokens[i].tags.has("Person")) {
        let last = i;
        while (last + 1 < tokens.length && tokens[last + 1].tags.has("Person") && !/[,;:.]/.test(tokens[last].post)) last++;
        const name = tokens.slice(i, last + 1).map((t) => t.text.replace(/[’']s$/, "")).join(" ");
        this.mentions.push({ end: tokens[last].end, sourceId: null, name, kind: "PERSON", person: true, plural: false });
        i = last;
      }
    }
    this.mentions.sort((a, b) => a.end - b.end);
  }

  /** Resolves the words naming a speaker (a noun phrase or a pronoun) to a source or a new one. */
  resolve(phrase: Token[]): Speaker | null {
    if (phrase.length === 0) return null;
    const span = { start: phrase[0].start, end: phrase.at(-1)!.end };
    // Longest known name inside the phrase ("Iraqi Prime Minister Adil Abdulmahdi").
    let best: { source: CatalogueSource; length: number } | null = null;
    for (let i = 0; i < phrase.length; i++) {
      const found = this.longestMatch(phrase, i, phrase.length);
      if (found && (!best || found.last - i + 1 > best.length)) best = { source: found.source, length: found.last - i + 1 };
    }
    if (best) return { ...span, sourceId: best.source.id, resolution: "NAME", name: best.source.name, kind: best.source.kind };

    const head = phrase.at(-1)!;
    if (phrase.length === 1 && (PERSON_PRONOUNS.has(head.key) || GROUP_PRONOUNS.has(head.key))) {
      const person = PERSON_PRONOUNS.has(head.key);
      const antecedent = this.nearest(span.start, (m) => (person ? m.person : !m.person));
      return antecedent ? { ...span, ...fromMention(antecedent), resolution: "PRONOUN" } : null;
    }
    const described = DESCRIPTIONS[singular(head.key)];
    if (described && phrase[0].key === "the") {
      // "the department", or "the defense department" when the name has the modifier too.
      const noun = singular(head.key);
      const modifiers = phrase.slice(1, -1).map((t) => t.key);
      const antecedent = this.nearest(span.start, (m) => {
        const name = matchKey(m.name);
        return !m.person && modifiers.every((w) => name.includes(w)) && (name.includes(noun) || (modifiers.length === 0 && described.includes(m.kind)));
      });
      if (antecedent) return { ...span, ...fromMention(antecedent), resolution: "DESCRIPTION" };
    }
    // A new source: the person named, or else the phrase without its leading determiners.
    const people = phrase.filter((t) => t.tags.has("Person") && !t.tags.has("Pronoun"));
    if (people.length) {
      const name = people.map((t) => t.text.replace(/[’']s$/, "")).join(" ");
      // "Itani", after "Faysal Itani" earlier: the fuller name.
      const fuller = people.length === 1 ? this.nearest(span.start, (m) => m.person && m.name.split(" ").at(-1) === name) : null;
      return { ...span, sourceId: null, resolution: "NEW_SOURCE", name: fuller?.name ?? name, kind: "PERSON" };
    }
    let from = 0;
    while (from < phrase.length - 1 && LEADING_WORDS.has(phrase[from].key)) from++;
    const name = phrase.slice(from).map((t) => t.text.replace(/[’']s$/, "")).join(" ");
    return { ...span, sourceId: null, resolution: "NEW_SOURCE", name, kind: guessKind(name) };
  }

  /** Whether a phrase can be a speaker at all: a name, a pronoun, or a noun like "officials". */
  plausible(phrase: Token[]): boolean {
    if (phrase.length === 0) return false;
    const head = phrase.at(-1)!;
    if (phrase.length === 1 && (PERSON_PRONOUNS.has(head.key) || GROUP_PRONOUNS.has(head.key))) return true;
    if (phrase.some((t) => t.tags.has("Person") || t.tags.has("Organization") || t.tags.has("Acronym"))) return true;
    if (phrase.some((t) => t.tags.has("ProperNoun") && !t.tags.has("Place") && !t.tags.has("Date"))) return true;
    return SPEAKER_NOUNS.has(singular(head.key)) || this.byKey.has(words(phrase));
  }

  private longestMatch(tokens: Token[], from: number, to: number): { source: CatalogueSource; last: number } | null {
    for (let last = Math.min(to - 1, from + this.longestKey - 1); last >= from; last--) {
      const key = tokens.slice(from, last + 1).map((t) => t.key).join(" ");
      if (this.surnames.has(key) && !/^\p{Lu}/u.test(tokens[from].text)) continue;
      const sources = this.byKey.get(key);
      if (sources?.length === 1) return { source: sources[0], last };
      if (sources && sources.length > 1) {
        // Ambiguous (two people sharing a surname): the one mentioned most recently.
        const recent = this.nearest(tokens[from].start, (m) => sources.some((s) => s.id === m.sourceId));
        if (recent) return { source: this.byId.get(recent.sourceId!)!, last };
      }
    }
    return null;
  }

  private nearest(before: number, accept: (m: Mention) => boolean): Mention | null {
    for (let i = this.mentions.length - 1; i >= 0; i--) {
      if (this.mentions[i].end <= before && accept(this.mentions[i])) return this.mentions[i];
    }
    return null;
  }

  private mentionOf(source: CatalogueSource, end: number): Mention {
    const person = source.kind === "PERSON";
    return { end, sourceId: source.id, name: source.name, kind: source.kind, person, plural: !person };
  }
}

function fromMention(m: Mention): Omit<Speaker, "start" | "end" | "resolution"> {
  return { sourceId: m.sourceId, name: m.name, kind: m.kind };
}

function singular(word: string): string {
  if (word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

export function guessKind(name: string): SourceKind {
  const lower = name.toLowerCase();
  return KIND_WORDS.find(([pattern]) => pattern.test(lower))?.[1] ?? "OTHER";
}
