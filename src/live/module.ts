import { defineModule } from "../graphql/module";
import type { ClaimFeed } from "./feed";
import { liveResolvers } from "./resolvers";

declare module "../graphql/context" {
  interface Context {
    /** Live claim changes; set on WebSocket operations only. */
    feed?: ClaimFeed;
    /** Fresh loaders for each event of a subscription (set on WebSocket operations only). */
    newLoaders?: () => Loaders;
  }
}

export const liveModule = defineModule({ name: "live", resolvers: liveResolvers });
