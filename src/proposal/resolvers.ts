import type { Resolvers } from "../generated/graphql";
import { requireRole } from "../auth/credentials";
import { payload } from "../graphql/errors";
import { badInput } from "../validation/badInput";
import { inputId } from "../graphql/globalId";
import { proposalKeyOf, toProposalId } from "./ids";
import { present } from "../graphql/present";
import { quoteContext } from "../claim/quote";

// The SDL documents both numbers.
const DEFAULT_PROPOSALS = 100;
const MAX_PROPOSALS = 100;

export const proposalResolvers: Resolvers = {
  Mutation: {
    claimProposalAccept: async (_, { input: { proposalId, ...rest } }, ctx) => {
      await requireRole(ctx, "EDITOR");
      const decoded = { ...rest, proposal: proposalKeyOf(proposalId), sourceId: rest.sourceId && inputId("Source", rest.sourceId) };
      return payload(async () => {
        const claim = await ctx.services.proposals.accept(decoded, ctx.signal);
        // The claim written covers the proposal from now on (and a new source is in the catalogue).
        ctx.loaders.proposalInputs.clear(decoded.proposal.articleId);
        return { claim };
      });
    },
    claimProposalDismiss: async (_, { input: { proposalId, ...rest } }, ctx) => {
      const actor = await requireRole(ctx, "EDITOR");
      return payload(async () => {
        const articleId = await ctx.services.proposals.dismiss({ ...rest, proposal: proposalKeyOf(proposalId) }, actor, ctx.signal);
        ctx.loaders.proposalInputs.clear(articleId);
        return { article: present(await ctx.loaders.article.load(articleId), "article") };
      });
    },
  },
  Article: {
    claimProposals: async (article, { minConfidence, first }, ctx) => {
      const min = minConfidence ?? 0;
      if (!(min >= 0 && min <= 1)) throw badInput("minConfidence must be between 0 and 1", "minConfidence");
      const size = first ?? DEFAULT_PROPOSALS;
      if (!Number.isInteger(size) || size < 0 || size > MAX_PROPOSALS) throw badInput(`first must be between 0 and ${MAX_PROPOSALS}, got ${size}`, "first");
      return (await ctx.services.proposals.forArticle(article.id, min, ctx.signal, ctx.loaders.proposalInputs.load(article.id))).slice(0, size);
    },
  },
  ClaimProposal: {
    id: (proposal) => toProposalId(proposal),
    article: async (proposal, _, ctx) => present(await ctx.loaders.article.load(proposal.articleId), "article"),
    quote: async (proposal, _, ctx) => {
      const body = await ctx.loaders.articleBody.load(proposal.articleId);
      return {
        start: proposal.start,
        end: proposal.end,
        exact: body.slice(proposal.start, proposal.end),
        ...quoteContext(body, proposal.start, proposal.end),
        anchoring: "EXACT",
        anchorScore: 1,
      };
    },
    source: (proposal, _, ctx) => (proposal.sourceId ? ctx.loaders.source.load(proposal.sourceId) : null),
  },
};
