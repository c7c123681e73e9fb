import DataLoader from "dataloader";
import type { Services } from "../graphql/context";
import { byId, plainList } from "../graphql/dataloaders";
import { defineModule, type LoadersOf } from "../graphql/module";
import { articleResolvers } from "./resolvers";
import { ArticleService } from "./service";

const loaders = {
  article: ({ articles }: Services) => byId((ids) => articles.byIds(ids)),
  articleBody: ({ articles }: Services) =>
    new DataLoader<string, string>(async (ids) => {
      const bodies = new Map((await articles.bodies(ids)).map((a) => [a.id, a.body]));
      return ids.map((id) => bodies.get(id) ?? new Error(`article ${id} has no body`));
    }),
  articleEvents: ({ articles }: Services) => plainList("Article.events", (ids) => articles.mentionsFor(ids), (m) => m.articleId),
};

declare module "../graphql/context" {
  interface Services {
    articles: ArticleService;
  }
  interface Loaders extends LoadersOf<typeof loaders> {}
}

export const articleModule = defineModule({
  name: "article",
  resolvers: articleResolvers,
  services: ({ prisma, read }) => ({ articles: new ArticleService(prisma, read) }),
  loaders,
  nodes: { Article: (id, ctx) => ctx.loaders.article.load(id) },
});
