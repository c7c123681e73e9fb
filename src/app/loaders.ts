import type { Loaders, Services } from "../graphql/context";
import { modules } from "./modules";

const factories = Object.assign({}, ...modules.map((m) => m.loaders ?? {})) as Record<string, (services: Services) => unknown>;

// Each loader is built on first use: most requests touch one or two of them, if any.
class LazyLoaders {
  constructor(readonly services: Services) {}
}
for (const [name, make] of Object.entries(factories)) {
  Object.defineProperty(LazyLoaders.prototype, name, {
    get(this: LazyLoaders) {
      const loader = make(this.services);
      Object.defineProperty(this, name, { value: loader });
      return loader;
    },
  });
}

/** Per-request batching: each nested field costs one query per page, not one per row. */
export function createLoaders(services: Services): Loaders {
  return new LazyLoaders(services) as unknown as Loaders;
}

export type { Loaders };
