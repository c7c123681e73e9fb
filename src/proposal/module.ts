import { defineModule } from "../graphql/module";
import { proposalResolvers } from "./resolvers";
import { ProposalService } from "./service";

declare module "../graphql/context" {
  interface Services {
    proposals: ProposalService;
  }
}

export const proposalModule = defineModule({
  name: "proposal",
  resolvers: proposalResolvers,
  // Accepting a proposal creates a claim through the claim editor (the claim module comes first).
  services: ({ prisma }, { claimEditor }) => ({ proposals: new ProposalService(prisma, claimEditor!) }),
});
