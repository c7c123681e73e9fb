import { ArticleService } from "./article/service";
import { ApiKeyService } from "./auth/service";
import { ClaimService } from "./claim/service";
import { EventService } from "./event/service";
import { ProposalService } from "./proposal/service";
import type { Database } from "./db/database";
import { SourceService } from "./source/service";
import { ChangeLog } from "./live/changeLog";

/** The one layer that talks to the database; resolvers and the CLI go through it. */
export function createServices({ prisma, read }: Pick<Database, "prisma" | "read">) {
  const sources = new SourceService(prisma, read);
  const claims = new ClaimService(prisma, read, sources);
  return {
    articles: new ArticleService(prisma, read),
    apiKeys: new ApiKeyService(prisma),
    claims,
    proposals: new ProposalService(prisma, claims),
    events: new EventService(prisma, read),
    sources,
    /** The claim change log live subscriptions resume from. */
    changes: new ChangeLog(read, prisma),
  };
}

export type Services = ReturnType<typeof createServices>;
