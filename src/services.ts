import { ArticleService } from "./article/service";
import { ApiKeyService } from "./auth/service";
import { ClaimService } from "./claim/service";
import { EventService } from "./event/service";
import type { PrismaClient } from "./generated/prisma/client";
import { SourceService } from "./source/service";

/** The one layer that talks to Prisma; resolvers and the CLI go through it. */
export function createServices(prisma: PrismaClient) {
  const sources = new SourceService(prisma);
  return {
    articles: new ArticleService(prisma),
    apiKeys: new ApiKeyService(prisma),
    claims: new ClaimService(prisma, sources),
    events: new EventService(prisma),
    sources,
  };
}

export type Services = ReturnType<typeof createServices>;
