import { defineModule } from "../graphql/module";
import { ChangeLog } from "./changeLog";
import type { ClaimFeed, ConnectionBudget } from "./feed";
import { liveResolvers } from "./resolvers";

declare module "../graphql/context" {
  interface Services {
    /** The claim change log live subscriptions resume from. */
    changes: ChangeLog;
  }
  interface Context {
    /** Live claim changes; set on WebSocket operations only. */
    feed?: ClaimFeed;
    /** A subscription's connection budget, and the cursor of the event being executed (WebSocket only). */
    live?: { budget: ConnectionBudget; cursor?: string };
  }
}

export const liveModule = defineModule({
  name: "live",
  resolvers: liveResolvers,
  services: ({ prisma, read }) => ({ changes: new ChangeLog(read, prisma) }),
});
