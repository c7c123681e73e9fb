import DataLoader from "dataloader";
import type { Services } from "../graphql/context";
import { byId, plainList } from "../graphql/dataloaders";
import { defineModule, type LoadersOf } from "../graphql/module";
import { sourceResolvers } from "./resolvers";
import { SourceService } from "./service";

const loaders = {
  source: ({ sources }: Services) => byId((ids) => sources.byIds(ids)),
  sourceAliases: ({ sources }: Services) =>
    new DataLoader<string, string[]>(async (ids) => {
      const aliases = await sources.aliasesFor(ids);
      return ids.map((id) => aliases.get(id) ?? []);
    }),
  sourceMembers: ({ sources }: Services) => plainList("Source.members", (ids) => sources.membersOf(ids), (s) => s.affiliationId!),
};

declare module "../graphql/context" {
  interface Services {
    sources: SourceService;
  }
  interface Loaders extends LoadersOf<typeof loaders> {}
}

export const sourceModule = defineModule({
  name: "source",
  resolvers: sourceResolvers,
  services: ({ prisma, read }) => ({ sources: new SourceService(prisma, read) }),
  loaders,
  nodes: { Source: (id, ctx) => ctx.loaders.source.load(id) },
});
