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

/** How likely a proposal with this evidence is a real claim with the right speaker. */
export function calibrate(e: Evidence): number {
  let c = e.pattern === "DIRECT" ? 0.9 : e.pattern === "MIXED" ? 0.75 : 0.6;
  if (e.cue === "CONTINUATION") c = 0.75;
  if (e.cue === "ACCORDING_TO") c = 0.8;
  if (e.resolution === "PRONOUN" || e.resolution === "DESCRIPTION") c -= 0.1;
  if (e.resolution === "NEW_SOURCE") c -= e.kind === "PERSON" ? 0.05 : 0.25;
  return Math.round(c * 100) / 100;
}
