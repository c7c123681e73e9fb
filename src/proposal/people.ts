import { LOOKBACK } from "./coreference";
import { COMPANY_WORDS, NAME_PARTICLES, OFFICES, PERSON_DESCRIPTIONS, PERSON_ROLES, PORTFOLIOS, SUFFIXES, SURNAME_TITLES, TITLES } from "./lexicon";
import { capital, lowerBound, type Token } from "./text";
import { singular } from "./descriptions";
import { Roster } from "./roster";

/**
 * The people an article names, one entry per person: "CDC Deputy Director-General Philip Lo", "Lo"
 * and "Mr Lo" are one person, Philip Lo, with the role "Deputy Director-General". Names are runs of
 * capitalised words that compromise tags as (parts of) person names, titles stripped; a surname or
 * "Mr" + surname refers to the fullest name with that surname, the most recent before it when two
 * people share it. Mentions outside quotation marks, in reading order, are what pronouns and
 * descriptions resolve to.
 */
export type Gender = "m" | "f" | null;

export interface Person {
  name: string;
  words: string[];
  gender: Gender;
  /** Whether the gender is only the tagger's guess from a given name. */
  genderByName?: boolean;
  role: string | null;
}

export interface PersonMention {
  person: Person;
  first: number;
  last: number;
  start: number;
  end: number;
  paragraph: number;
  /** The mention opens its sentence (the sentence's subject, in newswriting's usual order). */
  opensSentence: boolean;
}

/** Words that make a capitalised run an organisation or a place rather than a person. */
const NOT_PERSON = new Set(
  ("ministry department organization organisation office party council committee court bank house street university hospital " +
    "agency service union commission center centre institute association club fc united city group inc corp news times post " +
    "journal school college church army navy force forces police government administration parliament congress senate " +
    "assembly board authority company corporation foundation fund trust network press county state republic kingdom " +
    "airport station square avenue road bridge river lake mountain island republicans democrats herald tribune telegraph " +
    "guardian gazette chronicle daily reuters observer independent express mail mirror sun economist health healthcare clinic medical " +
    "festival summit conference cup championship championships league games olympics awards alliance coalition society federation " +
    "forum movement museum gallery theatre theater orchestra records studios airlines airways motors holdings ventures systems media").split(" "),
);
/** Words opening a fronted clause before a sentence's subject. */
const FRONTED_CLAUSES = new Set(["when", "after", "before", "while", "although", "though", "if", "once", "as", "since", "whereas", "asked"]);
const POST_NOMINALS = new Set(["qc", "kc", "sc", "mp", "msp", "mla", "mpp", "td", "obe", "mbe", "cbe", "kbe", "dbe", "frs", "phd"]);
/** Given names common to men and women, which the tagger still files under one gender. */
const UNISEX = new Set(
  "leslie lesley kim dana kelly lynn lyn ashley alex sam chris jamie jordan morgan taylor casey jesse jessie robin terry pat lee drew kerry tracy tracey shannon stacy sidney sydney frances francis jean marion evelyn riley avery quinn rowan sasha charlie billie bobbie jackie toni joss jody jo andrea nicola".split(" "),
);
const MALE_HONORIFICS = new Set(["mr", "sir", "lord", "king", "prince"]);
const FEMALE_HONORIFICS = new Set(["mrs", "ms", "miss", "dame", "lady", "queen", "princess"]);

const personTagged = (t: Token) => t.tags.has("Person") || t.tags.has("FirstName") || t.tags.has("LastName") || t.tags.has("MaleName") || t.tags.has("FemaleName");
// (Dotted initials keep their last stop: "B.S." in "B.S. Yeddyurappa".)
const plainText = (t: Token) => t.text.replace(/[’']s$/, "").replace(/(?<!\.\p{Lu})\.$/u, "");

/** Bounds on a name and the titles before it ("Deputy Assistant Secretary of State …"): a run of capitalised words or
 * hyphenated syllables longer than any name ("Kuan Bi-ling Kuan Bi-ling …", "New New New …") is cut, and every name's
 * endings are indexed in time proportional to the name (Roster.add). */
const MAX_NAME_WORDS = 6;
const MAX_TITLE_WORDS = 8;

function nameToken(t: Token): boolean {
  // ("At Jerry Sandusky's sentencing": a capitalised preposition or conjunction opening a sentence is no name. "The" stays
  // in the run, where it keeps "The Sinn Fein MLA" from reading as a person "Sinn Fein".)
  if (["Preposition", "Conjunction"].some((tag) => t.tags.has(tag)) && !t.tags.has("Person")) return false;
  return capital(t) && !TITLES.has(t.key) && (!t.tags.has("Honorific") || SUFFIXES.has(t.key)) && !t.tags.has("Date") && !t.tags.has("Pronoun") && !t.tags.has("Value") && !/\d/.test(t.text);
}

/** Whether the punctuation after a token ends a name ("Lo," / "Kirby." but not the initial in "John F. Kirby"). */
function endsName(t: Token): boolean {
  const post = t.post.trim();
  if (!post) return /[’']s$/.test(t.text);
  if (post === "-") return false; // "Jean-Pierre", "Alvarez-Pallete": compromise splits at the hyphen.
  if (/^\.$/.test(post) && /^\p{Lu}$/u.test(t.text)) return false;
  return true;
}

/** A single capital before more of a name is an initial ("P Chidambaram", "P K Bansal"), not an acronym; so are dotted ones ("B.S. Yeddyurappa", "K.J. George"). */
const initial = (t: Token, more: boolean) => more && /^(?:\p{Lu}\.?|(?:\p{Lu}\.){2,3})$/u.test(t.text);

/** Whether a capitalised run comes after an office's "for"/"of" ("Minister for …", "Secretary of State for …", "… and"). */
function afterOfficeFor(tokens: Token[], i: number): boolean {
  for (let k = i - 1; k > 0 && k >= i - 6; k--) {
    const t = tokens[k];
    if (["for", "of"].includes(t.key)) return TITLES.has(tokens[k - 1].key) && !/[,;:.]/.test(tokens[k - 1].post);
    if (t.key !== "and" && t.key !== "&" && !capital(t)) return false;
  }
  return false;
}

/** Whether the capitalised words from `i` on end in an institution's word ("… Yorkshire Council", "… Nursing" is not). */
function institutionAfter(tokens: Token[], i: number): boolean {
  for (let k = i; k < tokens.length && k < i + 6 && capital(tokens[k]) && !tokens[k].quoted; k++) {
    if (NOT_PERSON.has(tokens[k].key) || COMPANY_WORDS.has(tokens[k].key)) return true;
    if (/[,;:.!?]/.test(tokens[k].post)) return false;
  }
  return false;
}

const givenName = (t: Token) => t.tags.has("FirstName") || t.tags.has("MaleName") || t.tags.has("FemaleName");

/** Whether title words (one or more, no punctuation between) start at `k` and a name follows them. */
function officeThenName(tokens: Token[], k: number, to: number): boolean {
  let e = k;
  while (e <= to && e - k < MAX_TITLE_WORDS && TITLES.has(tokens[e].key) && !/[,;:.]/.test(tokens[e].post) && !tokens[e].quoted) e++;
  return e > k && e <= to && nameToken(tokens[e]) && !tokens[e].quoted;
}

/** Whether the words from `k` up to the next comma or full stop are an office ("Mexico State Prosecutor"), no clause. */
function appositiveRole(tokens: Token[], k: number): boolean {
  const words: Token[] = [];
  for (let i = k; i < tokens.length && i < k + 6 && !tokens[i].quoted; i++) {
    words.push(tokens[i]);
    if (/[,;:.!?]/.test(tokens[i].post)) return !words.some((t) => t.tags.has("Verb") || ["who", "whose", "which"].includes(t.key)) && PERSON_ROLES.has(singular(words.at(-1)!.key));
  }
  return false;
}

/** How many lower-case name particles ("van", "de la") start at token k (at most two). */
function particlesAt(tokens: Token[], k: number): number {
  let n = 0;
  while (n < 2 && tokens[k + n] && NAME_PARTICLES.has(tokens[k + n].key) && !capital(tokens[k + n])) n++;
  return n;
}

/** Runs of name words within tokens[from..to] that name a person. */
export function personRuns(tokens: Token[], from: number, to: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = from; i <= to; i++) {
    if (!nameToken(tokens[i]) || tokens[i].quoted) continue;
    let j = i;
    while (j < to && !endsName(tokens[j])) {
      const next = tokens[j + 1];
      const particles = particlesAt(tokens, j + 1);
      // "Coun Dawn Collins (Conservative)": a party or place in brackets is not part of the name.
      if (next.pre.includes("(")) break;
      if (nameToken(next) && !next.quoted) j++;
      // "Edmund King, president of the AA", "Steve King said": a title word after a lone given name is a surname.
      else if (j === i && tokens[j].tags.has("FirstName") && SURNAME_TITLES.has(next.key) && capital(next) && !next.quoted && !(j + 2 <= to && nameToken(tokens[j + 2]) && !endsName(next))) j++;
      // "Kuan Bi-ling": a lower-case syllable after a hyphen goes on with the name.
      else if (tokens[j].post === "-" && next.tags.has("ProperNoun") && /^\p{Ll}{1,5}$/u.test(next.text) && j - i < MAX_NAME_WORDS) j++;
      // ("Louis van Gaal", "Humberto de la Calle": one or two particles before the last name.)
      else if (particles > 0 && j + particles + 1 <= to && nameToken(tokens[j + particles + 1])) j += particles + 1;
      else break;
    }
    // A run of capitalised words far longer than any name ("Mary Mary Mary …") names nobody (and indexing its endings
    // would be quadratic in its length).
    if (j - i >= MAX_NAME_WORDS + 2) {
      i = j;
      continue;
    }
    // "Denying Imran Khan's allegations, the minister said": a participle opening a sentence (which the tagger reads as a
    // name for its capital) is no part of the name after it.
    if (j > i && /^\p{Lu}\p{Ll}+ing$/u.test(tokens[i].text) && !personTagged(tokens[i]) && (i === 0 || tokens[i - 1].paragraph !== tokens[i].paragraph || /[.!?:]/.test(tokens[i - 1].post))) i++;
    // "Singer Ann Marie Kerr", "Striker Tom Dunne": a word for what someone does, before a given name, is no part of the name.
    if (j > i + 1 && tokens[i].tags.has("Actor") && !personTagged(tokens[i]) && tokens[i + 1].tags.has("FirstName")) i++;
    // "Minister for Kashmir Affairs Barjees Tahir", "Minister for Water and Power Abid Sher Ali": the portfolio
    // written before the name is the office's, not the person's.
    const portfolioEnd = afterOfficeFor(tokens, i) ? tokens.slice(i, j).findLastIndex((t) => PORTFOLIOS.has(t.key)) : -1;
    if (portfolioEnd >= 0) i += portfolioEnd + 1;
    // "Sarah Munro QC", "Jane Moss MP": letters after a name are honours and offices, not part of it.
    if (j - i >= 2 && POST_NOMINALS.has(tokens[j].key)) j--;
    // "Sr Mary Lyons": before a given name "Sr" is a nun's title, not a suffix.
    if (SUFFIXES.has(tokens[i].key) && j > i) i++;
    // "the head of the Country Fire Authority Russell Rees": a given name and more after an institution's last word (not its
    // first: "Bank Julius Baer") start a person's name.
    const institutionEnd = j - i >= 2 ? tokens.slice(i, j - 1).findLastIndex((t) => NOT_PERSON.has(t.key) || COMPANY_WORDS.has(t.key)) : -1;
    const institutionBefore = institutionEnd >= 1 || (institutionEnd === 0 && i > from && capital(tokens[i - 1]) && !tokens[i - 1].quoted);
    if (institutionBefore && givenName(tokens[i + institutionEnd + 1])) i += institutionEnd + 1;
    const run = tokens.slice(i, j + 1);
    // "Daniel Marsh, 31, of …": a name given an age is a person's, whatever the tagger makes of it.
    const aged = run.length >= 2 && /,/.test(tokens[j].post) && /^\d{1,3}$/.test(tokens[j + 1]?.text ?? "") && /,/.test(tokens[j + 1].post);
    // "Alejandro Gomez Sanchez, Mexico State Prosecutor, …": a name given a person's office in apposition (the tagger may
    // read the whole for a place).
    const roled = run.length >= 2 && /,/.test(tokens[j].post) && appositiveRole(tokens, j + 1);
    // "Prosecutor Helen Ward", "Governor Abba Yusuf": two name words after a person's title are a name, not a place
    // nor the band the tagger knows.
    const titled = run.length >= 2 && i > from && PERSON_ROLES.has(tokens[i - 1].key) && !/[,;:.]/.test(tokens[i - 1].post);
    // "the Confederation of British Industry", "the Bank of England": the end of an institution's name.
    const ofName = i >= 2 && ["of", "for"].includes(tokens[i - 1].key) && capital(tokens[i - 2]) && !TITLES.has(tokens[i - 2].key) && !tokens[i - 2].quoted;
    // "East Riding of Yorkshire Council": the start of an institution's name, "of" and all (not "David Jones of Barclays Capital").
    const nameGoesOn = !run.some(personTagged) && ["of", "for"].includes(tokens[j + 1]?.key ?? "") && !/[,;:.]/.test(tokens[j].post) && institutionAfter(tokens, j + 2);
    // "Chicago Fed President Austan Goolsbee", "Treasury Secretary Jane Doe": capitalised words right before a title and a
    // name are the office's institution, not a person.
    const affiliation = !run.some(givenName) && !/[,;:.]/.test(tokens[j].post) && officeThenName(tokens, j + 1, to);
    // "the new World Champion", "Vice Chancellor": capitalised role nouns, with no given name or surname among them, are a title.
    const title = tokens[j].tags.has("Actor") && !run.some(personTagged);
    // "New Zealand Rugby", "New York Police": capitalised "New" before the run begins a place's name, not a title.
    const placeNamed = i > from && tokens[i - 1].text === "New" && !tokens[i - 1].post.trim();
    const isPerson =
      !title &&
      // "the Scot", "the Kiwi": a nationality the tagger takes for a given name.
      !(run.length === 1 && PERSON_DESCRIPTIONS.has(run[0].key)) &&
      !placeNamed &&
      !ofName &&
      !affiliation &&
      !nameGoesOn &&
      !run.some((t, k) => NOT_PERSON.has(t.key) || (COMPANY_WORDS.has(t.key) && !run.some(personTagged)) || (t.tags.has("Organization") && !titled) || (t.tags.has("Acronym") && !initial(t, k < run.length - 1))) &&
      (aged || titled || roled || !run.every((t) => t.tags.has("Place") && !personTagged(t))) &&
      (run.some(personTagged) || (run.length >= 2 && run.every((t) => t.tags.has("ProperNoun") || t.tags.has("Noun") || NAME_PARTICLES.has(t.key))));
    // "Alan Macro (Lib Dem, Theale)": a party and a seat in brackets after a name are no people.
    const bracketed = tokens[i].pre.includes("(") && runs.at(-1)?.[1] === i - 1;
    if (isPerson && !bracketed) runs.push([i, j]);
    i = j;
  }
  return runs;
}

export class People {
  readonly mentions: PersonMention[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly sentenceStarts: Set<number>,
  ) {
    const runs = personRuns(tokens, 0, tokens.length - 1);
    // A surname alone ("Patton said") is a name once the article has given the full name, whatever
    // compromise makes of the word on its own.
    const surnames = new Set(runs.filter(([f, l]) => l > f).map(([f, l]) => tokens[SUFFIXES.has(tokens[l].key) && l - 1 > f ? l - 1 : l].key));
    const covered = new Set(runs.flatMap(([f, l]) => Array.from({ length: l - f + 1 }, (_, k) => f + k)));
    for (const t of tokens) if (!covered.has(t.index) && !t.quoted && nameToken(t) && surnames.has(t.key)) runs.push([t.index, t.index]);
    runs.sort((a, b) => a[0] - b[0]);
    const full = new Roster();
    const draft = runs.map(([first, last]) => {
      const words: string[] = [];
      for (const t of tokens.slice(first, last + 1)) {
        if (words.length && tokens[t.index - 1].post.trim() === "-") words[words.length - 1] += `-${plainText(t)}`;
        else words.push(plainText(t));
      }
      return { first, last, words };
    });
    // Full names first, so a surname before its full name ("Costa …" then "Jorge Costa") still joins it.
    for (const d of draft) {
      if (d.words.length < 2) continue;
      const key = d.words.join(" ").toLowerCase();
      if (!full.named(key)) full.add({ name: d.words.join(" "), words: d.words, gender: null, role: null });
    }
    for (const d of draft) {
      const person = this.personFor(d.words, d.first, full);
      this.noteGender(person, d.first);
      if (!person.role) person.role = this.roleBefore(d.first) ?? this.appositiveRole(d.first);
      const first = this.tokens[d.first];
      // Only titles and modifiers before it in its sentence: "Cabinet minister Michael Gove welcomed …".
      let s0 = d.first;
      // ("the head of the Country Fire Authority Russell Rees": an office's "of" is no object's preposition.)
      const office = (k: number) => ["of", "at"].includes(this.tokens[k].key) && OFFICES.has(this.tokens[k - 1]?.key ?? "");
      while (s0 > 0 && !sentenceStarts.has(s0) && !this.tokens[s0 - 1].tags.has("Verb") && (!this.objectOf(s0 - 1) || office(s0 - 1)) && !/[,;:.!?()"“”]/.test(this.tokens[s0 - 1].post) && !this.tokens[s0 - 1].quoted) s0--;
      const opensSentence = sentenceStarts.has(s0) || this.afterFronted(s0, sentenceStarts);
      const mention = { person, first: d.first, last: d.last, start: first.start, end: this.tokens[d.last].end, paragraph: first.paragraph, opensSentence };
      this.mentions.push(mention);
    }
  }

  /** The person a phrase names (the last name in it: "Pentagon press secretary John Kirby"). */
  inPhrase(phrase: Token[]): Person | null {
    if (phrase.length === 0) return null;
    const [from, end] = [phrase[0].index, phrase.at(-1)!.index];
    // Mentions are in reading order and never overlap: those inside the phrase are one run of them.
    const runs = this.mentions.slice(lowerBound(this.mentions, (m) => m.first >= from), lowerBound(this.mentions, (m) => m.last > end));
    // The name must head the phrase: "Chuck Schumer of New York" is Schumer, "the Trump administration" nobody.
    // "U.S. District Judge Randolph Moss in Washington" is Moss too: a place after "in" says where the person sits.
    const placed = (m: PersonMention) => this.tokens[m.last + 1]?.key === "in" && Boolean(this.tokens[m.last + 2]?.tags.has("Place"));
    const head = runs.findLast((m) => m.last === end || (m.last === end - 1 && POST_NOMINALS.has(this.tokens[end].key)) || ((["of", "from"].includes(this.tokens[m.last + 1]?.key ?? "") || placed(m)) && !/[’']s$/.test(this.tokens[m.last].text)));
    // "Premier Annastacia Palaszczuk and Health Minister Steven Miles have defended …": joint speakers, the first named
    // stands for both (the subject phrase stops at "and").
    // ("Mayor Ann Lee and her deputy Tom Hale both said": "her" may stand between, the first name opening the sentence after
    // its titles, no comma before "and"; "A jury convicted Tom Smith, and his lawyer Anna Brown said" is Brown's.)
    const owned = ["his", "her", "their"].includes(this.tokens[from - 1]?.key ?? "");
    const and = owned ? from - 2 : from - 1;
    const joint = head && this.tokens[and]?.key === "and" && !this.tokens[and].quoted ? this.mentions[lowerBound(this.mentions, (m) => m.last >= and - 1)] : undefined;
    return (joint?.last === and - 1 && (!owned || this.opensWithTitles(joint)) ? joint.person : head?.person) ?? null;
  }

  /** Whether a mention opens its sentence, title words aside, with no comma after it. */
  private opensWithTitles(m: PersonMention): boolean {
    let k = m.first;
    while (k > 0 && m.first - k < MAX_TITLE_WORDS && !this.sentenceStarts.has(k) && capital(this.tokens[k - 1]) && !/[,;:.!?]/.test(this.tokens[k - 1].post)) k--;
    return this.sentenceStarts.has(k) && !/,/.test(this.tokens[m.last].post);
  }

  /** Whether the token at `index` opens a sentence. */
  startsSentence(index: number): boolean {
    return this.sentenceStarts.has(index);
  }

  /** Person mentions before an offset, nearest first, from `fromParagraph` on. */
  before(offset: number, fromParagraph: number): PersonMention[] {
    // The latest LOOKBACK mentions only: every reference looking back over all of a long article's names was quadratic.
    const end = lowerBound(this.mentions, (m) => m.end > offset);
    return this.mentions.slice(Math.max(0, end - LOOKBACK), end).filter((m) => m.paragraph >= fromParagraph).reverse();
  }

  private personFor(words: string[], first: number, full: Roster): Person {
    const key = words.join(" ").toLowerCase();
    const exact = full.named(key);
    if (exact) return exact;
    // "Lo", "van Gaal", "Tedros": the full name ending (or, for a single word, starting) with it.
    const candidates = full.endingWith(key);
    if (candidates.length === 0) {
      const person: Person = { name: words.join(" "), words, gender: null, role: null };
      full.add(person);
      return person;
    }
    if (candidates.length === 1) return candidates[0];
    const offset = this.tokens[first].start;
    const recent = [...this.mentions].reverse().find((m) => m.end <= offset && candidates.includes(m.person));
    return recent?.person ?? candidates[0];
  }

  private noteGender(person: Person, first: number) {
    if (person.gender) return;
    const token = this.tokens[first];
    const honorific = this.tokens[first - 1]?.key;
    // A given name borne by men and women alike ("Leslie Moonves … he said") says nothing; the tagger gives it one gender.
    const byName = !UNISEX.has(token.key);
    if (MALE_HONORIFICS.has(honorific) || (byName && token.tags.has("MaleName"))) person.gender = "m";
    else if (FEMALE_HONORIFICS.has(honorific) || (byName && token.tags.has("FemaleName"))) person.gender = "f";
    person.genderByName = person.gender !== null && !MALE_HONORIFICS.has(honorific) && !FEMALE_HONORIFICS.has(honorific);
  }

  /**
   * A preposition after a common word ("In a letter to Fed Chair Jerome Powell"): what follows is its object, not the
   * sentence's subject. One inside a title ("Minister of Health Zweli Mkhize") does not end the subject.
   */
  private objectOf(k: number): boolean {
    const t = this.tokens[k];
    // ("At Jerry Sandusky's sentencing, …": one opening the sentence governs the name after it too.)
    return t.tags.has("Preposition") && (this.sentenceStarts.has(k) || (k > 0 && !capital(this.tokens[k - 1])));
  }

  /** "In a statement, CFO Blake Jorgensen said …": a name after a fronted adverbial (a preposition's phrase and a comma) is its sentence's subject. */
  private afterFronted(s0: number, sentenceStarts: Set<number>): boolean {
    if (s0 < 1 || this.tokens[s0 - 1].post.trim() !== ",") return false;
    let verb = false;
    for (let k = s0 - 1; k >= 0 && k >= s0 - 16; k--) {
      const t = this.tokens[k];
      if (t.quoted || (k < s0 - 1 && /[,;:.!?]/.test(t.post))) return false;
      verb ||= t.tags.has("Verb") && !t.tags.has("Gerund");
      // "When asked if she had a message, Muguruza lifted …": a fronted clause of time or condition may have verbs of its own.
      if (sentenceStarts.has(k)) return FRONTED_CLAUSES.has(t.key) || (t.tags.has("Preposition") && !verb);
    }
    return false;
  }

  /**
   * A role given in apposition before the name: "Minister" in "The Minister of State in charge of Government
   * Communications, Felix Kwakye Ofosu, has dismissed …", "Health Minister" in "Durban - Health Minister, Dr Zweli
   * Mkhize, has urged …" — so that "the Minister said" later is that person.
   */
  private appositiveRole(first: number): string | null {
    const comma = first - 1;
    if (comma < 1 || this.tokens[comma].quoted || this.tokens[comma].post.trim() !== ",") return null;
    let s = comma;
    while (s > 0 && comma - s < 12 && !/[,;:.!?()\u2013\u2014-]/.test(this.tokens[s - 1].post) && !this.tokens[s - 1].tags.has("Verb") && !this.tokens[s - 1].quoted) s--;
    if (["the", "a", "an", "its", "his", "her", "their", "our"].includes(this.tokens[s].key)) s++;
    let e = s;
    while (e <= comma && TITLES.has(this.tokens[e].key) && !MALE_HONORIFICS.has(this.tokens[e].key) && !FEMALE_HONORIFICS.has(this.tokens[e].key)) e++;
    const words = this.tokens.slice(s, e);
    return words.some((t) => PERSON_ROLES.has(t.key)) ? words.map((t) => t.text.replace(/,$/, "")).join(" ") : null;
  }

  /** Title words right before a name: "Deputy Director-General" in "CDC Deputy Director-General Philip Lo". */
  private roleBefore(first: number): string | null {
    let i = first - 1;
    // A plural title before two names ("councillors Noel Thomas and Seamus Walsh") is each one's role.
    // Titles end with the name's sentence: "… short of staff. Smith said" gave Smith the role "staff".
    while (i >= 0 && first - i <= MAX_TITLE_WORDS && !this.sentenceStarts.has(i + 1) && !this.tokens[i].quoted && (TITLES.has(this.tokens[i].key) || TITLES.has(singular(this.tokens[i].key))) && !/[,;:]/.test(this.tokens[i].post) && !MALE_HONORIFICS.has(this.tokens[i].key) && !FEMALE_HONORIFICS.has(this.tokens[i].key) && this.tokens[i].key !== "dr") i--;
    if (i === first - 1) return null;
    return this.tokens
      .slice(i + 1, first)
      .map((t) => t.text)
      .join(" ")
      .replace(/\s+-\s*/g, "-");
  }
}
