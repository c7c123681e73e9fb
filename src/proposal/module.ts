import DataLoader from "dataloader";
import type { Services } from "../graphql/context";
import { defineModule, type LoadersOf } from "../graphql/module";
import { proposalResolvers } from "./resolvers";
import { ProposalService } from "./service";

const loaders = {
  // Per request, or per batch of live events: never inputs read before an editor's accept or dismiss.
  proposalInputs: ({ proposals }: Services) => new DataLoader((ids: readonly string[]) => proposals.inputsForMany(ids)),
};

declare module "../graphql/context" {
  interface Services {
    proposals: ProposalService;
  }
  interface Loaders extends LoadersOf<typeof loaders> {}
}

export const proposalModule = defineModule({
  name: "proposal",
  resolvers: proposalResolvers,
  // Accepting a proposal creates a claim through the claim editor (the claim module comes first).
  services: ({ prisma }, { claimEditor }) => ({ proposals: new ProposalService(prisma, claimEditor!) }),
  loaders,
});
