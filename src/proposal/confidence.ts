import type { SourceKind } from "../generated/prisma/client";
import type { ProposalPattern, SpeakerResolution } from "./service";

/** What the extractor knew when it made a proposal: the features its confidence is computed from. */
export interface Evidence {
  pattern: ProposalPattern;
  /** How the words were tied to the speaker. */
  cue: "VERB" | "ACCORDING_TO" | "CONTINUATION" | "PARENTHETICAL";
  resolution: SpeakerResolution;
  kind: SourceKind;
  /** Length of the proposed span in words. */
  words: number;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The evidence for a proposal of `span` in `body`. */
export function evidenceFor(pattern: ProposalPattern, cue: Evidence["cue"], speaker: { resolution: SpeakerResolution; kind: SourceKind }, body: string, span: { start: number; end: number }): Evidence {
  return { pattern, cue, resolution: speaker.resolution, kind: speaker.kind, words: wordCount(body.slice(span.start, span.end)) };
}

/** The evidence a calibration rate is kept for: pattern, cue, and how the speaker was found. */
export function evidenceKey(e: Evidence): string {
  const speaker = e.resolution === "NEW_SOURCE" ? (e.kind === "PERSON" ? "NEW_PERSON" : "NEW_OTHER") : e.resolution;
  return `${e.pattern}/${e.cue}/${speaker}`;
}

/**
 * Share of proposals with this evidence that were right (span and speaker) on the development part
 * of the extraction set, smoothed towards their pattern's share (`scripts/extraction/fit.ts` prints
 * this table; refit it after changing the rules). Unseen evidence falls back to the pattern's rate.
 */
const FITTED: Record<string, number> = {
  "DIRECT/CONTINUATION/CONTINUATION": 0.96, // 18/18
  "DIRECT/VERB/DESCRIPTION": 0.93, // 4/4
  "DIRECT/VERB/NEW_OTHER": 0.92, // 2/2
  "DIRECT/VERB/NEW_PERSON": 0.96, // 14/14
  "DIRECT/VERB/PRONOUN": 0.93, // 5/5
  "INDIRECT/ACCORDING_TO/NEW_OTHER": 0.86, // 3/3
  "INDIRECT/PARENTHETICAL/NEW_PERSON": 0.86, // 3/3
  "INDIRECT/PARENTHETICAL/PRONOUN": 0.88, // 5/5
  "INDIRECT/VERB/DESCRIPTION": 0.86, // 3/3
  "INDIRECT/VERB/NEW_OTHER": 0.86, // 9/10
  "INDIRECT/VERB/NEW_PERSON": 0.91, // 22/23
  "INDIRECT/VERB/PRONOUN": 0.70, // 3/6
  "MIXED/VERB/DESCRIPTION": 0.86, // 1/1
  "MIXED/VERB/NAME": 0.86, // 1/1
  "MIXED/VERB/NEW_OTHER": 0.81, // 2/3
  "MIXED/VERB/NEW_PERSON": 0.92, // 9/9
  "MIXED/VERB/PRONOUN": 0.88, // 3/3
};
const PATTERN_RATE: Record<ProposalPattern, number> = { DIRECT: 0.9, MIXED: 0.8, INDIRECT: 0.75 };

/** How likely a proposal with this evidence is a real claim with the right speaker, 0 to 1. */
export function calibrate(e: Evidence): number {
  return FITTED[evidenceKey(e)] ?? PATTERN_RATE[e.pattern];
}
