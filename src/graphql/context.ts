import type { Logger } from "../logger";
import type { ListedItems } from "./listedItems";

/**
 * What every resolver gets. The GraphQL toolkit knows no domain: each domain module adds its own
 * services, loaders and context fields to these interfaces by declaration merging (`declare module
 * "../graphql/context" { interface Services { claims: ClaimService } }`, as graphql-modules does), and
 * the composition root (src/app/) builds them from the module list.
 */
export interface Context {
  services: Services;
  loaders: Loaders;
  requestId: string;
  log: Logger;
  /** Aborted when the request times out: database reads still running are cancelled. */
  signal?: AbortSignal;
  /**
   * Marked once the operation is known to be a mutation (graphql/writes.ts): the response cache must
   * then be dropped. An object, because Apollo hands plugins a shallow copy of the context.
   */
  writes: { happened: boolean };
  /** Items this answer has listed so far (graphql/listedItems.ts); a subscription's context has none… */
  listed?: ListedItems;
  /** …but the bound of each of its events, counted per event. */
  listedPerEvent?: number;
}

/** The domains' services, one property per service (declared by each domain's module). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

/** The domains' per-request DataLoaders (declared by each domain's module). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}
