import type { PrismaClient } from "../generated/prisma/client";
import type { SqlReader } from "../db/database";
import type { Resolvers } from "../generated/graphql";
import type { Loaders, Services } from "./context";
import type { NodeFetchers } from "./node";

/** What a service factory gets: Prisma for writes and the rarer reads, `read` for the hot SQL reads. */
export interface ServiceDeps {
  prisma: PrismaClient;
  read: SqlReader;
}

/**
 * One domain, as the composition root sees it (after graphql-hive's `createModule`). Its type
 * definitions are the `*.graphql` files in its folder (merged into schema.graphql by `npm run
 * generate`); everything else it contributes is listed here, so adding a domain touches its folder and
 * one line of src/app/modules.ts.
 */
export interface GraphQLModule {
  name: string;
  resolvers: Resolvers;
  /**
   * Builds the module's services. `built` holds the services of the modules listed before it in the
   * root, so a service may depend on another domain's (claims on sources).
   */
  services?: (deps: ServiceDeps, built: Partial<Services>) => Partial<Services>;
  /** Per-request DataLoader factories, each built on first use in a request. */
  loaders?: { [K in keyof Loaders]?: (services: Services) => Loaders[K] };
  /** How `node(id:)` fetches the module's node types. */
  nodes?: NodeFetchers;
}

/** Identity, for type checking a module's definition in place. */
export function defineModule(module: GraphQLModule): GraphQLModule {
  return module;
}

/** The loader types a module's factories build: `interface Loaders extends LoadersOf<typeof factories> {}`. */
export type LoadersOf<F> = { readonly [K in keyof F]: F[K] extends (services: Services) => infer L ? L : never };
