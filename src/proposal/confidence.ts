import type { SourceKind } from "../generated/prisma/client";
import type { ProposalPattern, SpeakerResolution } from "./service";
import type { Speaker } from "./speakers";
import { lowerBound, matchKey, type Token } from "./text";

/** What the extractor knew when it made a proposal: the features its confidence is computed from. */
export interface Evidence {
  pattern: ProposalPattern;
  /** How the words were tied to the speaker. */
  cue: "VERB" | "ACCORDING_TO" | "CONTINUATION" | "PARENTHETICAL";
  resolution: SpeakerResolution;
  kind: SourceKind;
  /** Length of the proposed span in words. */
  words: number;
  /** The article gave the speaker a title or office ("Health Minister …"): the name is seldom a misread. */
  titled: boolean;
  /**
   * The speaker's name as the article gives it (the proposed name; for a catalogue source the words that matched it, not
   * the catalogue's "Joseph R. Biden Jr."), and its words: one is often a place or a surname misread, four or more a run.
   */
  name: string;
  nameWords: number;
  /** The span speaks in the first person ("I", "we"): a reported clause that does is a speaker's own words. */
  firstPerson: boolean;
  /** Characters between the speaker's words and the span (0 when they touch), and what those hold. */
  gap: number;
  gapSays: boolean;
  gapCrossesParagraph: boolean;
  /** Set as the proposal is recorded: in the article's first paragraph (a lede's summary), and how often the speaker's last name occurs. */
  lede: boolean;
  mentions: number;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;
/** The gap is read this far at most (a continuation's speaker may be paragraphs away). */
const GAP_READ = 200;
const SAYS = /\b(said|says|say|saying|told|tells)\b/;
const FIRST_PERSON = /\b(I|we|We|my|My|our|Our)\b/;

/** The evidence for a proposal of `span` in `body` (`lede` and `mentions` are filled in as it is recorded). */
export function evidenceFor(pattern: ProposalPattern, cue: Evidence["cue"], speaker: Speaker, body: string, span: { start: number; end: number }): Evidence {
  const after = speaker.start >= span.end;
  const gap = after ? speaker.start - span.end : speaker.end <= span.start ? span.start - speaker.end : 0;
  const between = after ? body.slice(span.end, span.end + Math.min(gap, GAP_READ)) : body.slice(span.start - Math.min(gap, GAP_READ), span.start);
  // Touching or overlapping: the verb is just outside the span.
  const near = gap > 0 ? between : body.slice(Math.max(0, span.start - 80), span.start) + " " + body.slice(span.end, span.end + 80);
  const text = body.slice(span.start, span.end);
  const name = speaker.sourceId && speaker.resolution === "NAME" ? body.slice(speaker.start, speaker.end) : speaker.name;
  return {
    pattern,
    cue,
    resolution: speaker.resolution,
    kind: speaker.kind,
    words: wordCount(text),
    titled: Boolean(speaker.role),
    name,
    nameWords: wordCount(name),
    firstPerson: FIRST_PERSON.test(text),
    gap,
    gapSays: SAYS.test(near),
    gapCrossesParagraph: between.includes("\n"),
    lede: false,
    mentions: 0,
  };
}

/** Fills in where each proposal stands in its article: `lede` and `mentions` (every token's key counted once per body). */
export function place(found: { start: number; evidence: Evidence }[], tokens: Token[]): void {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t.key, (counts.get(t.key) ?? 0) + 1);
  const first = tokens[0]?.paragraph ?? 0;
  for (const p of found) {
    p.evidence.lede = (tokens[lowerBound(tokens, (t) => t.start >= p.start)]?.paragraph ?? first) === first;
    p.evidence.mentions = counts.get(matchKey(p.evidence.name.split(/\s+/).at(-1) ?? "")) ?? 0;
  }
}

/** The model's inputs: indicators and two scaled counts. */
export function features(e: Evidence): Record<string, number> {
  const kind = e.kind === "PERSON" ? "PERSON" : e.kind === "OTHER" ? "OTHER" : "INSTITUTION";
  return {
    [`pattern:${e.pattern}`]: 1,
    [`cue:${e.cue}`]: 1,
    // (A catalogue name is a name found, as a new source's is: the few dev proposals that matched the seed's sources gave
    // it a weight of its own that ranked an accepted source's later proposals below new ones.)
    [`resolution:${e.resolution === "NAME" ? "NEW_SOURCE" : e.resolution}`]: 1,
    [`kind:${kind}`]: 1,
    titled: Number(e.titled),
    oneWordName: Number(e.nameWords === 1),
    longName: Number(e.nameWords >= 4),
    firstPerson: Number(e.firstPerson),
    touching: Number(e.gap === 0),
    distant: Number(e.gap >= 16),
    says: Number(e.gapSays),
    acrossParagraphs: Number(e.gapCrossesParagraph),
    lede: Number(e.lede),
    rareName: Number(e.mentions <= 1),
    logWords: Math.log1p(e.words) / 3,
  };
}

/**
 * Weights of a logistic regression from these features to "the proposal is a claim with the right speaker", fitted on the
 * development part of the extraction set (`npx tsx scripts/extraction/fit.ts` prints this table; refit it after changing
 * the rules). A feature the table lacks weighs nothing.
 */
const WEIGHTS: Record<string, number> = {
  bias: 1.703,
  acrossParagraphs: -0.440,
  "cue:ACCORDING_TO": 0.096,
  "cue:CONTINUATION": 0.113,
  "cue:PARENTHETICAL": 0.221,
  "cue:VERB": -0.430,
  distant: -0.442,
  firstPerson: 0.018,
  "kind:INSTITUTION": -0.197,
  "kind:OTHER": -0.462,
  "kind:PERSON": 0.659,
  lede: -0.369,
  logWords: 0.424,
  longName: -0.371,
  oneWordName: -0.556,
  "pattern:DIRECT": 0.681,
  "pattern:INDIRECT": -0.520,
  "pattern:MIXED": -0.161,
  rareName: -0.521,
  "resolution:CONTINUATION": 0.179,
  "resolution:DESCRIPTION": -0.299,
  "resolution:NEW_SOURCE": 0.389,
  "resolution:PRONOUN": -0.269,
  says: 0.187,
  titled: 0.448,
  touching: 0.220,
};

/** How likely a proposal with this evidence is a real claim with the right speaker, 0 to 1. */
export function calibrate(e: Evidence): number {
  let z = WEIGHTS.bias;
  for (const [name, value] of Object.entries(features(e))) z += (WEIGHTS[name] ?? 0) * value;
  return 1 / (1 + Math.exp(-z));
}
