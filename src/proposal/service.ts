import type { ClaimKind, SourceKind } from "../generated/prisma/client";

export type ProposalPattern = "DIRECT" | "MIXED" | "INDIRECT";
export type SpeakerResolution = "NAME" | "PRONOUN" | "DESCRIPTION" | "CONTINUATION" | "NEW_SOURCE";

/** A proposed claim as the API serves it. */
export interface ProposalRow {
  id: string;
  articleId: string;
  start: number;
  end: number;
  text: string;
  pattern: ProposalPattern;
  speaker: { start: number; end: number; text: string };
  sourceId: string | null;
  resolution: SpeakerResolution;
  proposedSource: { name: string; kind: SourceKind } | null;
  kind: ClaimKind;
  confidence: number;
}
