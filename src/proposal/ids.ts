import { isUuid } from "../db/uuid";
import { NO_NODE } from "../graphql/globalId";
import type { ProposalKey } from "./service";

/** Proposal IDs name the article and the span, so they stay valid while the body does. */
export function toProposalId({ articleId, start, end }: ProposalKey): string {
  return Buffer.from(`ClaimProposal:${articleId}:${start}:${end}`).toString("base64url");
}

/** The proposal a mutation input's proposal ID names; a malformed one names none (an article no row has, see NO_NODE). */
export function proposalKeyOf(proposalId: string): ProposalKey {
  const match = /^ClaimProposal:([0-9a-f-]{36}):(\d+):(\d+)$/.exec(Buffer.from(proposalId, "base64url").toString("utf8"));
  return match && isUuid(match[1]) ? { articleId: match[1], start: Number(match[2]), end: Number(match[3]) } : { articleId: NO_NODE, start: 0, end: 0 };
}
