import type { Resolvers } from "../generated/graphql";
import { requireRole } from "./credentials";
import { payload } from "../graphql/errors";
import { inputId, toGlobalId } from "../graphql/globalId";

export const authResolvers: Resolvers = {
  Query: {
    apiKeys: async (_, __, ctx) => {
      await requireRole(ctx, "ADMIN");
      return ctx.services.apiKeys.list();
    },
  },
  Mutation: {
    apiKeyCreate: async (_, { input }, ctx) => {
      await requireRole(ctx, "ADMIN");
      return payload(() => ctx.services.apiKeys.create(input));
    },
    apiKeyRevoke: async (_, { input }, ctx) => {
      await requireRole(ctx, "ADMIN");
      return payload(async () => ({ apiKey: await ctx.services.apiKeys.revoke(inputId("ApiKey", input.apiKeyId)) }));
    },
  },
  ApiKey: {
    id: (key) => toGlobalId("ApiKey", key.id),
  },
};
