import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "./context";

/**
 * Marks the request's `writes` as soon as its operation is known to be a mutation, before anything
 * runs: its reads then go to the primary (db/readRouting.ts), and once it is answered the server
 * announces the write and drops its response cache (http/app.ts).
 */
export const writeDetection: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === "mutation") contextValue.writes.happened = true;
      },
    };
  },
};
