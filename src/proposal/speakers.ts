import type { SourceKind } from "../generated/prisma/client";
import { GROUP_NOUNS, JURISDICTIONS, PERSON_DESCRIPTIONS, PERSON_ROLES, STAFF, TITLES, UNNAMED_PEOPLE, VAGUE_SUBJECTS, VOICE_HEADS, VOICE_LINKS } from "./lexicon";
import { cataphoricPerson, personAntecedent, speakerEndingWith, titledBefore, titleHolder } from "./coreference";
import { wordMiss, samePerson } from "./catalogueWords";
import { DESCRIPTIONS, GENERIC_BODIES, SPECIFIC_DESCRIPTIONS, ageDescription, guessKind, nameWords, singular } from "./descriptions";
import { People, type Gender, type Person } from "./people";
import type { SpeakerResolution } from "./service";
import { capital, clean, matchKey, type Token } from "./text";
import { trimModifiers } from "./phrases";
import { OWNER_PRONOUNS, pronounVoice, speaksFor, voiceOwner } from "./owners";
import { authorBefore, DOCUMENTS, voiceSource } from "./documents";
import { namedByLastWord, organisationsIn, type OrgMention } from "./organisations";

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
  /** Name for a new source (when no existing one matched): a person's full name, titles stripped. */
  name: string;
  kind: SourceKind;
  /** The title the text gives a new person ("Deputy Director-General"), kept apart from the name. */
  role: string | null;
  gender: Gender;
  /** An institution speaking through a spokesperson, whom "she said" after "a police spokeswoman said" still means. */
  voice?: boolean;
}

/** A speaker the extractor attributed something to, for later pronouns and role descriptions. */
export interface SpokenBy {
  speaker: Speaker;
  paragraph: number;
  offset: number;
}

// Object forms for "according to her", "according to them".
const PERSON_PRONOUNS: Record<string, Gender> = { he: "m", she: "f", him: "m", her: "f" };
const GROUP_PRONOUNS = new Set(["they", "it", "we", "them"]);
const LEADING_WORDS = new Set(["the", "a", "an", "other", "some", "several", "many", "two", "three", "both", "senior", "top", "its", "his", "her", "their"]);
const POSSESSIVE_DETERMINERS = new Set(["the", "his", "her", "their", "its"]);
/** How far (tokens) a name's guessed gender may be overruled (UNNAMED_PEOPLE): the pronoun follows the name closely. */
const UNNAMED_REACH = 120;
/** Who speaks for an institution, and the gender of the pronoun that refers back to them. */
const SPOKESPEOPLE: Record<string, Gender> = { spokesman: "m", spokeswoman: "f", spokesperson: null, representative: null };

/** Name and alias lookup over the catalogue, the article's people, and coreference for pronouns and descriptions. */
export class SpeakerResolver {
  private readonly byKey = new Map<string, CatalogueSource[]>();
  private readonly orgs: OrgMention[];
  private readonly acronyms = new Map<string, OrgMention>();
  /** Speakers that are institutions (or may be: "Cargill said"), for "it" and "the company". */
  private readonly spokenOrgs: OrgMention[] = [];
  /** "the district" after "the Del Mar Union School District" (see namedByLastWord). */
  private readonly byLastWord: (phrase: Token[]) => OrgMention | null;
  private readonly spoken: SpokenBy[] = [];
  private readonly longestKey: number;

  constructor(
    sources: CatalogueSource[],
    private readonly tokens: Token[],
    private readonly people: People,
  ) {
    let longest = 1;
    for (const source of sources) {
      const keys = new Set([source.name, ...source.aliases].map(matchKey));
      // A person is also named by their surname alone.
      if (source.kind === "PERSON") keys.add(matchKey(source.name).split(" ").at(-1)!);
      for (const key of keys) {
        this.byKey.set(key, [...(this.byKey.get(key) ?? []), source]);
        longest = Math.max(longest, key.split(" ").length);
      }
    }
    this.longestKey = longest;
    this.orgs = organisationsIn(tokens, (run) => this.catalogueMatch(run), this.acronyms);
    this.byLastWord = namedByLastWord(this.orgs);
  }

  /** Remembers who spoke, so "he said" after a quote goes to its speaker. */
  noteSpeaker(speaker: Speaker, paragraph: number, offset: number): void {
    this.spoken.push({ speaker, paragraph, offset });
    // "Analysts said …; the company said": a collective of people is not the company.
    if (!GROUP_NOUNS.has(matchKey(speaker.name).split(" ").at(-1)!) && (speaker.kind !== "PERSON" || this.unknownSingleName(speaker))) {
      this.spokenOrgs.push({ ...speaker, kind: speaker.kind === "PERSON" ? "OTHER" : speaker.kind, end: offset, spoke: true });
    }
  }

  /** Resolves the words naming a speaker (a noun phrase or a pronoun) to a source or a new one. */
  resolve(phrase: Token[]): Speaker | null {
    const speaker = this.resolvePhrase(phrase);
    // "A spokesman for the Department for Health said …": the institution, whose spokesman "he" means next ("He said: …").
    const voice = phrase.length && VOICE_LINKS.has(this.tokens[phrase[0].index - 1]?.key ?? "") ? this.tokens[phrase[0].index - 2] : undefined;
    // ("spokesmen for Hallard Dairy": an institution, though its name looks like a person's; not "for Boris Johnson".)
    const institution = speaker?.kind === "PERSON" && speaker.resolution === "NEW_SOURCE" && voice && (VOICE_HEADS.has(voice.key) || STAFF.has(voice.key)) && !phrase.some((t) => t.tags.has("FirstName") || t.tags.has("Honorific") || TITLES.has(t.key));
    if (!speaker || speaker.kind === "PERSON" || !voice || !(voice.key in SPOKESPEOPLE)) return institution ? { ...speaker!, kind: "OTHER", role: null, gender: null } : speaker;
    return { ...speaker, voice: true, gender: SPOKESPEOPLE[voice.key] };
  }

  private resolvePhrase(phrase: Token[]): Speaker | null {
    // "Others", "Some in Catterick": a vague collective, nobody to check (but "Some residents" are residents).
    if (phrase.length === 0 || (VAGUE_SUBJECTS.has(phrase[0].key) && !phrase[1]?.tags.has("Noun"))) return null;
    phrase = this.withPostmodifier(trimModifiers(phrase));
    // "His campaign", "her office" speak for the pronoun's person (below); "his lawyer", "her husband" are someone else.
    if (phrase.length > 1 && phrase[0].key in OWNER_PRONOUNS && !pronounVoice(phrase)) phrase = phrase.slice(1);
    const span = { start: phrase[0].start, end: phrase.at(-1)!.end, role: null, gender: null };
    const person = this.people.inPhrase(phrase);
    const known = this.catalogueMatch(phrase);
    // A named person speaks for themself, not for an institution beside them or in their name ("Harrison Ford"); but a
    // catalogue name taken for a person's ("Kata'ib Hezbollah") is what the catalogue says. Not John Smith for Jane (samePerson).
    const personKey = person ? matchKey(person.name) : "";
    if (known && (!person || (known.kind === "PERSON" ? samePerson(person, known) : [known.name, ...known.aliases].some((n) => matchKey(n).includes(personKey))))) {
      return { ...span, sourceId: known.id, resolution: "NAME", name: known.name, kind: known.kind, gender: person?.gender ?? null, role: person?.role ?? null };
    }
    if (person) {
      const named = this.personSpeaker(person);
      return { ...span, ...named, resolution: named.sourceId ? "NAME" : "NEW_SOURCE" };
    }
    // "The SNP and Scottish Government have both said": joint speakers, the first named stands for both (as for people).
    const first = capital(phrase[0]) ? this.jointFirst(phrase[0].index) : null;
    const joint = first && this.resolve(first);
    if (joint) return { ...joint, start: span.start, end: span.end };

    const head = phrase.at(-1)!;
    if (phrase.length === 1 && head.key in PERSON_PRONOUNS) {
      const antecedent = this.antecedent(head, PERSON_PRONOUNS[head.key]);
      return antecedent ? { ...antecedent, start: span.start, end: span.end, resolution: "PRONOUN" } : null;
    }
    if (phrase.length === 1 && GROUP_PRONOUNS.has(head.key)) {
      const org = this.nearestOrg(span.start, () => true);
      return org ? { ...span, ...fromOrg(org), resolution: "PRONOUN" } : null;
    }
    const noun = singular(head.key);
    // "the prosecutor", "The Islanders' head coach": the person last speaking or named. "Hernandez’s lawyer" is someone
    // Hernandez has: nobody named. But "Ukraine's foreign minister said …" opening an article is the person the next
    // paragraph names. ("Cameron's spokesman" speaks for Cameron: see voiceOwner below.)
    if (PERSON_ROLES.has(noun) && phrase.some((t) => /[’']s$/.test(t.text) && capital(t)) && !voiceOwner(phrase, noun)) {
      const office = cataphoricPerson(this.people, this.tokens, phrase);
      return office ? { ...span, ...this.personSpeaker(office), resolution: "DESCRIPTION" } : null;
    }
    // "the 30-year-old added", "The Italian added" (sport's nationality for the person): the person just named or speaking.
    const demonym = phrase.length === 2 && head.tags.has("Demonym") && !head.tags.has("Plural");
    if (phrase[0].key === "the" && (demonym || ageDescription(phrase))) {
      const antecedent = this.antecedent(head, null);
      return antecedent ? { ...antecedent, start: span.start, end: span.end, resolution: "DESCRIPTION" } : null;
    }
    // "the Premier", "the Minister": a title written with its capital is a description too. "His campaign said", "her
    // spokesman said": the person the pronoun means speaks through them.
    if (pronounVoice(phrase)) {
      const owner = this.antecedent(phrase[0], OWNER_PRONOUNS[phrase[0].key]);
      return owner ? { ...owner, start: span.start, end: span.end, resolution: "PRONOUN" } : null;
    }
    // "The bureau spokesman", "a spokesman said" after the bureau spoke: its voice (below); "the spokesman" else a person.
    const lastSpoke = VOICE_HEADS.has(noun) ? this.spoken.findLast((s) => s.offset <= span.start) : undefined;
    const orgVoice = lastSpoke && lastSpoke.paragraph >= head.paragraph - 1 && lastSpoke.speaker.kind !== "PERSON" ? lastSpoke.speaker : undefined;
    const apposed = VOICE_HEADS.has(noun) ? this.people.before(span.start, 0)[0] : undefined;
    const apposedName = apposed?.last === phrase[0].index - 1 && /,/.test(this.tokens[apposed.last].post);
    const institutional = VOICE_HEADS.has(noun) && !apposedName && !phrase.some((t) => /[’']s$/.test(t.text)) && !titleHolder(this.people, span.start, noun) && (orgVoice || phrase.slice(0, -1).some((t) => !LEADING_WORDS.has(t.key)));
    if (PERSON_ROLES.has(noun) && !institutional && (!capital(head) || phrase[0].key === "the") && head.key === noun && (POSSESSIVE_DETERMINERS.has(phrase[0].key) || /[’']s$/.test(phrase[0].text))) {
      const ahead = (person: Person | null) => (person ? this.personSpeaker(person) : null);
      const antecedent = this.antecedent(head, null, noun) ?? ahead(cataphoricPerson(this.people, this.tokens, phrase));
      return antecedent ? { ...antecedent, start: span.start, end: span.end, resolution: "DESCRIPTION" } : null;
    }
    // "Hale's office said", "Johannesburg Water's Twitter page": the person or institution they speak for.
    const owner = voiceOwner(phrase, noun);
    const owned = owner && this.resolve(owner);
    if (owned) return { ...owned, start: span.start, end: span.end, resolution: owned.kind === "PERSON" ? "DESCRIPTION" : owned.resolution };
    // "The statement added …", "According to the report, …": the statement or report last quoted, so its speaker.
    // "The report written by the Marine Park Authority … // The report said", "a news release from the department … // the
    // news release stated": its author, named with it earlier.
    const author = DOCUMENTS.has(noun) && phrase[0].key === "the" && !phrase.slice(1).some(capital) ? authorBefore(this.tokens, noun, head.index, (source) => this.resolve(source)) : null;
    if (author) return { ...author, start: span.start, end: span.end, resolution: "DESCRIPTION" };
    if (DOCUMENTS.has(noun) && phrase.length === 2 && phrase[0].key === "the") {
      // A report is cited further from whoever released it ("… disclosed this in its latest report. // According to the report, …").
      const last = this.spoken.findLast((s) => s.offset <= span.start && s.paragraph >= head.paragraph - (["report", "study", "survey"].includes(noun) ? 2 : 1));
      if (last) return { ...last.speaker, start: span.start, end: span.end, resolution: "DESCRIPTION" };
    }
    // "according to a statement from 3M", "a report by Statistics Canada": the institution it comes from.
    const source = VOICE_HEADS.has(noun) ? voiceSource(this.tokens, head) : [];
    if (source.length) return this.resolve(source);
    // "An NHS chief executive said …" opening the article, named in the next paragraph.
    const ahead = PERSON_ROLES.has(noun) && !VOICE_HEADS.has(noun) ? cataphoricPerson(this.people, this.tokens, phrase) : null;
    const again = ahead ?? (PERSON_ROLES.has(noun) ? titledBefore(this.people, this.tokens, phrase) : null);
    if (again) return { ...span, ...this.personSpeaker(again), resolution: "DESCRIPTION" };
    // "A Downing Street spokesman", "a ministry statement": the institution speaking through them.
    if (VOICE_HEADS.has(noun) && phrase.length > 1) {
      const modifiers = phrase.slice(0, -1).filter((t) => !LEADING_WORDS.has(t.key));
      if (orgVoice && modifiers.length === 0 && PERSON_ROLES.has(noun)) return { ...stripSpan(orgVoice), ...span, resolution: "DESCRIPTION", voice: true };
      const lastCapital = modifiers.findLastIndex(capital);
      // "A council spokesperson": the council the article names, before or (in a lede) after.
      const org = lastCapital < 0 && modifiers.length === 1 ? this.orgNamedWith(modifiers[0].key, span.start) : null;
      if (org) return { ...span, ...fromOrg(org), resolution: "DESCRIPTION", voice: PERSON_ROLES.has(noun), gender: null };
      const speaker = this.resolve(lastCapital >= 0 ? modifiers.slice(0, lastCapital + 1) : modifiers.length === 1 ? [...phrase.slice(0, 1).filter((t) => t.key === "the"), ...modifiers] : modifiers);
      const gender: Gender = noun === "spokesman" ? "m" : noun === "spokeswoman" ? "f" : null;
      if (speaker) return { ...speaker, start: span.start, end: span.end, ...(PERSON_ROLES.has(noun) ? { voice: true, gender } : {}) };
    }
    const specific = noun in SPECIFIC_DESCRIPTIONS;
    const described = DESCRIPTIONS[noun];
    // A plural ("Unions said") is a collective of its own, not the one institution named before.
    if (described && (phrase[0].key === "the" || phrase.length === 1) && head.key === noun) {
      // ("the sheriff's office" is the "Yavapai County Sheriff's Office": a possessive modifier matches the name's word.)
      const modifiers = phrase.slice(phrase[0].key === "the" ? 1 : 0, -1).map((t) => matchKey(t.text));
      const fits = (m: OrgMention) => modifiers.length === 0 && described.includes(m.kind);
      const named = (m: OrgMention) => modifiers.every((w) => matchKey(m.name).includes(w)) && (matchKey(m.name).includes(noun) || Boolean(m.after?.includes(noun)));
      // A spoken institution is what a bare description means before one only mentioned ("Analysts at RBC said … The company said");
      // a name with the noun beats a nearer institution that merely fits ("The council says …" after "Labour group leader …").
      const orgs = this.orgsBefore(span.start);
      const spokenFit = !specific ? orgs.find((m) => m.spoke && fits(m)) : undefined;
      let antecedent = orgs.find(named) ?? orgs.find((m) => !specific && fits(m) && !spokenFit) ?? null;
      if (spokenFit && (!antecedent || !named(antecedent))) antecedent = spokenFit;
      if (!antecedent && specific) {
        // (One institution under a longer and a shorter name is one: "the Data Protection Commission of Ireland".)
        const names = [...new Set(orgs.filter(fits).map((m) => matchKey(m.name)))].sort((a, b) => a.length - b.length);
        antecedent = names.length > 0 && names.every((n) => n.includes(names[0])) ? (orgs.find(fits) ?? null) : null;
      }
      // "the news group", "the oil giant": lower-case words saying what the institution does, not part of its name.
      const kindOnly = (m: OrgMention) => described.includes(m.kind) || (GENERIC_BODIES.has(noun) && m.kind !== "MEDIA");
      // Not "the county council", "the state department": a jurisdiction makes it an institution of its own.
      if (!antecedent && modifiers.length && !phrase.slice(1, -1).some(capital) && !modifiers.some((w) => JURISDICTIONS.has(w))) antecedent = this.orgsBefore(span.start).find((m) => m.spoke && kindOnly(m)) ?? this.nearestOrg(span.start, kindOnly);
      // "the agency", "the body": any institution may be one; the one last named when none is of the expected kind.
      antecedent ??= GENERIC_BODIES.has(noun) && modifiers.length === 0 ? this.nearestOrg(span.start, (m) => m.kind !== "MEDIA") : null;
      if (antecedent) return { ...span, ...fromOrg(antecedent), resolution: "DESCRIPTION" };
    }
    const lastWord = described ? null : this.byLastWord(phrase);
    if (lastWord) return { ...span, ...fromOrg(lastWord), resolution: "DESCRIPTION" };
    // "the new World Champion", "the two-time US Open semi-finalist", "the world number 17": words only a person is called,
    // and a ranking, are the person just named or speaking (sport and profile copy's way not to repeat a name), never a
    // new source. Not any description: "the eyewitness", "the neighbour" are mostly someone the article never names.
    const personal = PERSON_DESCRIPTIONS.has(noun);
    const ranking = /^\d+$/.test(head.text) && this.tokens[head.index - 1]?.key === "number" && !phrase.some((t) => t.tags.has("Acronym") || /[’']s$/.test(t.text));
    // (The subject phrase may start after the modifiers the tagger left out: "The two-time | US Open semi-finalist".)
    const modifiersBefore = this.tokens.slice(Math.max(0, phrase[0].index - 3), phrase[0].index);
    const definite = phrase[0].key === "the" || (personal && modifiersBefore.some((t) => t.key === "the") && !modifiersBefore.some((t) => /[,;:.!?]/.test(t.post) || (t.tags.has("Verb") && !t.tags.has("Hyphenated"))));
    if (definite && phrase.length > 1 && (personal || ranking) && !head.tags.has("Plural")) {
      const antecedent = this.antecedent(head, null);
      return antecedent?.kind === "PERSON" ? { ...antecedent, start: span.start, end: span.end, resolution: "DESCRIPTION" } : null;
    }
    let from = 0;
    while (from < phrase.length - 1 && LEADING_WORDS.has(phrase[from].key)) from++;
    let rest = phrase.slice(from);
    // A lone common noun ("spokesman", "company", "judge") is nobody in particular: no new source.
    // With a modifier ("the statistics office") it names an institution; a lone role noun names nobody.
    // "the government" is the exception: the one government the story is about, as a desk tracks it.
    const government = rest.length === 1 && head.key === "government";
    if (!government && !rest.some(capital) && !rest.some((t) => t.tags.has("Acronym")) && !GROUP_NOUNS.has(head.key) && !head.tags.has("Plural") && (rest.length === 1 || PERSON_ROLES.has(noun))) return null;
    const expanded = rest.length === 1 ? this.acronyms.get(rest[0].key) : undefined;
    if (expanded) return { ...span, ...fromOrg(expanded), resolution: expanded.sourceId ? "NAME" : "NEW_SOURCE" };
    const { words, organisation, titled, retitled } = nameWords(rest);
    rest = words;
    const name = clean(rest);
    const lone = !organisation && rest.length === 1 && capital(rest[0]) && !["Place", "Organization", "Acronym", "Plural"].some((tag) => rest[0].tags.has(tag));
    if (lone) {
      // "Campbell said", after "Campbell Soup said": the organisation already speaking.
      const org = this.nearestOrg(span.start, (m) => matchKey(m.name).split(" ")[0] === rest[0].key);
      if (org) return { ...span, ...fromOrg(org), resolution: "DESCRIPTION" };
      const named = speakerEndingWith(this.spoken, rest[0].key);
      if (named) return { ...span, ...stripSpan(named.speaker), resolution: "NEW_SOURCE" };
    }
    const kind = lone || titled || retitled ? "PERSON" : guessKind(name);
    return { ...span, sourceId: null, resolution: "NEW_SOURCE", name: name.charAt(0).toUpperCase() + name.slice(1), kind };
  }

  /** The capitalised name right before "and" before `index` ("The SNP" in "The SNP and Scottish Government"), if any. */
  private jointFirst(index: number): Token[] | null {
    const and = this.tokens[index - 1];
    if (and?.key !== "and" || and.quoted || /[,;:]/.test(this.tokens[index - 2]?.post ?? ",")) return null;
    let from = index - 2;
    while (from > 0 && index - 2 - from < 5 && capital(this.tokens[from - 1]) && !/[,;:.!?]/.test(this.tokens[from - 1].post) && !this.tokens[from - 1].quoted) from--;
    if (this.tokens[from - 1]?.key === "the") from--;
    const run = this.tokens.slice(from, index - 1);
    return run.some(capital) && !run.some((t) => t.quoted || t.tags.has("Verb")) ? run : null;
  }

  /** Whether a phrase can be a speaker at all: a name, a pronoun, or a noun like "officials". */
  plausible(phrase: Token[]): boolean {
    if (phrase.length === 0) return false;
    const head = phrase.at(-1)!;
    if ((phrase.length === 1 && (head.key in PERSON_PRONOUNS || GROUP_PRONOUNS.has(head.key))) || ageDescription(phrase)) return true;
    if (phrase.some((t) => t.tags.has("Person") || t.tags.has("Organization") || t.tags.has("Acronym")) || this.people.inPhrase(phrase)) return true;
    // A capitalised word alone before a verb of saying is a name ("Houle said"), whatever compromise makes of it.
    if (phrase.length === 1 && capital(head) && !head.tags.has("Pronoun") && !head.tags.has("Determiner")) return true;
    // Places too: "Washington said", "Wall Street said" (a capital for its government, a market for its traders).
    if (phrase.some((t) => t.tags.has("ProperNoun") && !t.tags.has("Date"))) return true;
    const noun = singular(head.key);
    // "earnings beat Wall Street": a common noun before the name makes the name its object, not a speaker.
    const firstCapital = phrase.findIndex(capital);
    if (firstCapital > 0 && phrase.slice(0, firstCapital).some((t) => t.tags.has("Noun") && !t.tags.has("Possessive") && !/[’']s$/.test(t.text) && !TITLES.has(t.key) && !PERSON_ROLES.has(singular(t.key)) && !(singular(t.key) in DESCRIPTIONS) && !GROUP_NOUNS.has(t.key))) return false;
    // "His campaign said", "Amnesty's report says": an owner speaking through them.
    const owned = speaksFor(noun) && phrase.length > 1 && (phrase[0].key in OWNER_PRONOUNS || /[’']s$/.test(phrase.at(-2)!.text));
    // "Hacking specialists say", "Republican strategists said": people the tagger knows by what they do, as a collective.
    const collective = head.tags.has("Plural") && head.tags.has("Actor") && !head.quoted;
    return owned || collective || Boolean(this.byLastWord(phrase)) || PERSON_ROLES.has(noun) || GROUP_NOUNS.has(head.key) || noun in DESCRIPTIONS || VOICE_HEADS.has(noun) || ["report", "study", "survey", "analysis"].includes(noun) || this.byKey.has(matchKey(clean(phrase)));
  }

  private personSpeaker(person: Person): Omit<Speaker, "start" | "end" | "resolution"> {
    const keys = [person.name, person.words.at(-1)!].map(matchKey);
    for (const key of keys) {
      const people = (this.byKey.get(key) ?? []).filter((s) => s.kind === "PERSON" && samePerson(person, s));
      if (people.length === 1) return { sourceId: people[0].id, name: people[0].name, kind: "PERSON", role: person.role, gender: person.gender };
    }
    return { sourceId: null, name: person.name, kind: "PERSON", role: person.role, gender: person.gender };
  }

  /** A person pronoun or role description: see `personAntecedent`. */
  private antecedent(at: Token, gender: Gender, role?: string): Omit<Speaker, "start" | "end" | "resolution"> | null {
    // A given name's gender is the tagger's guess: "Leslie Moonves … he said" is Moonves when nobody else fits, unless a
    // person of the pronoun's gender goes unnamed in between ("The woman, who cannot be named, … she told the court").
    const found = personAntecedent(this.people, this.tokens, this.spoken, at, gender, role) ?? (gender ? this.byNameOnly(personAntecedent(this.people, this.tokens, this.spoken, at, null, role), at, gender) : null);
    return !found ? null : "words" in found ? this.personSpeaker(found) : stripSpan(found.speaker);
  }

  private byNameOnly(found: Person | SpokenBy | null, at: Token, gender: Gender): Person | null {
    if (!found || !("words" in found) || !found.genderByName) return null;
    const mention = this.people.before(at.start, 0).find((m) => m.person === found);
    const between = mention ? this.tokens.slice(mention.last + 1, at.index) : [];
    return between.length < UNNAMED_REACH && !between.some((t) => UNNAMED_PEOPLE[t.key] === gender) ? found : null;
  }

  /**
   * "Experts close to the administration said": the subject phrase stops at its head, but the
   * catalogue may know the whole description; then the phrase runs on to the end of that name.
   */
  private withPostmodifier(phrase: Token[]): Token[] {
    const last = phrase.at(-1)!.index;
    let end = last;
    while (end + 1 < this.tokens.length && end - last < this.longestKey && !this.tokens[end + 1].tags.has("Verb") && !/[,;:.!?]/.test(this.tokens[end].post)) end++;
    for (let e = end; e > last; e--) {
      const key = this.tokens.slice(phrase[0].index, e + 1).map((t) => t.key).join(" ");
      if (this.byKey.has(key)) return this.tokens.slice(phrase[0].index, e + 1);
    }
    return phrase;
  }

  private catalogueMatch(phrase: Token[]): CatalogueSource | null {
    let best: { source: CatalogueSource; length: number } | null = null;
    for (let i = 0; i < phrase.length; i++) {
      for (let last = Math.min(phrase.length - 1, i + this.longestKey - 1); last >= i; last--) {
        const key = phrase.slice(i, last + 1).map((t) => t.key).join(" ");
        const sources = this.byKey.get(key);
        if (!sources || (last === i && wordMiss(phrase[i], sources))) continue;
        if (!best || last - i + 1 > best.length) best = { source: sources[0], length: last - i + 1 };
        break;
      }
    }
    return best?.source ?? null;
  }

  /** Organisations the text names: catalogue names and capitalised runs with an organisation word. */
  /** The nearest organisation named or speaking before an offset that `accept`s. */
  /**
   * "Cargill said …; the company said": a single capitalised word taken for a person, with nothing
   * (a first name, a person tag, a title) to say it is one, may be the organisation "it" and "the company" mean.
   */
  private unknownSingleName(speaker: Speaker): boolean {
    if (speaker.resolution !== "NEW_SOURCE" || speaker.role || speaker.name.includes(" ")) return false;
    // The tokens of the speaker's span, found by binary search (tokens are in text order).
    let lo = 0;
    for (let hi = this.tokens.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].start < speaker.start) lo = mid + 1;
      else hi = mid;
    }
    const named: Token[] = [];
    for (let i = lo; i < this.tokens.length && this.tokens[i].end <= speaker.end; i++) named.push(this.tokens[i]);
    return named.length > 0 && !named.some((t) => t.tags.has("Person") || t.tags.has("FirstName") || t.tags.has("LastName") || TITLES.has(t.key));
  }

  /** The organisation named nearest before an offset with `word` in its name, else the first named after it. */
  private orgNamedWith(word: string, at: number): OrgMention | null {
    const named = this.orgs.filter((m) => matchKey(m.name).split(" ").includes(word));
    return named.findLast((m) => m.end <= at) ?? named.find((m) => m.end > at) ?? null;
  }

  private nearestOrg(before: number, accept: (m: OrgMention) => boolean): OrgMention | null {
    return this.orgsBefore(before).find(accept) ?? null;
  }

  /** Organisations named or speaking before an offset, nearest first. */
  private orgsBefore(before: number): OrgMention[] {
    return [...this.orgs, ...this.spokenOrgs].filter((m) => m.end <= before).sort((a, b) => b.end - a.end);
  }
}

function stripSpan(s: Speaker): Omit<Speaker, "start" | "end" | "resolution"> {
  return { sourceId: s.sourceId, name: s.name, kind: s.kind, role: s.role, gender: s.gender, voice: s.voice };
}

function fromOrg(m: OrgMention): Omit<Speaker, "start" | "end" | "resolution"> {
  return { sourceId: m.sourceId, name: m.name, kind: m.kind, role: null, gender: null };
}
