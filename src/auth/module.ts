import { defineModule } from "../graphql/module";
import { requireRole } from "./credentials";
import { authResolvers } from "./resolvers";
import { ApiKeyService } from "./service";

declare module "../graphql/context" {
  interface Services {
    apiKeys: ApiKeyService;
  }
}

export const authModule = defineModule({
  name: "auth",
  resolvers: authResolvers,
  services: ({ prisma }) => ({ apiKeys: new ApiKeyService(prisma) }),
  // Keys are admin-only, by ID too.
  nodes: { ApiKey: async (id, ctx) => (await requireRole(ctx, "ADMIN"), ctx.services.apiKeys.byId(id)) },
});
