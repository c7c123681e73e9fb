import DataLoader from "dataloader";
import type { ReviewPublisher } from "../config";
import type { Services } from "../graphql/context";
import { byId, plainList } from "../graphql/dataloaders";
import { defineModule, type LoadersOf } from "../graphql/module";
import { projectionKey, type ClaimProjection } from "./projection";
import { ClaimEditor } from "./editing";
import { claimResolvers } from "./resolvers";
import { ClaimService, type ClaimConnection, type NestedClaimArgs, type NestedParent } from "./service";

/**
 * Claim lists nested under a list of parents (each source's or event's claims): the parents of one
 * field with the same arguments and selection are read in one statement.
 */
class NestedClaimPages {
  private readonly batches = new Map<string, DataLoader<string, ClaimConnection>>();

  constructor(private readonly claims: ClaimService) {}

  load(parent: NestedParent, parentId: string, args: NestedClaimArgs, projection: ClaimProjection): Promise<ClaimConnection> {
    return this.loader(parent, args, projection).load(parentId);
  }

  /** A page read along with its parent (an actor's page), for the nested field to find. */
  prime(parent: NestedParent, parentId: string, args: NestedClaimArgs, projection: ClaimProjection, page: ClaimConnection) {
    this.loader(parent, args, projection).prime(parentId, page);
  }

  // Keyed by the projection's content, not its object: a page primed from the parent's selection
  // is found by the nested field, whose projection object is its own.
  private loader(parent: NestedParent, args: NestedClaimArgs, projection: ClaimProjection) {
    const key = JSON.stringify([parent, args.status, args.includeRetired, args.linkType, args.first, args.after, projectionKey(projection)]);
    let loader = this.batches.get(key);
    if (!loader) {
      loader = new DataLoader((ids) => this.claims.pagesFor({ parent, parentIds: ids, args, projection }));
      this.batches.set(key, loader);
    }
    return loader;
  }
}

const loaders = {
  claim: ({ claims }: Services) => byId((ids) => claims.byIds(ids)),
  verdictChange: ({ claims }: Services) => byId((ids) => claims.verdictChangesByIds(ids)),
  claimHistory: ({ claims }: Services) => plainList("Claim.history", (ids) => claims.historyFor(ids), (v) => v.claimId),
  claimEvents: ({ claims }: Services) => plainList("Claim.events", (ids) => claims.eventLinksFor(ids), (l) => l.claimId),
  nestedClaims: ({ claims }: Services) => new NestedClaimPages(claims),
  articleClaims: ({ claims }: Services) => plainList("Article.claims", (ids) => claims.byArticle(ids, false), (c) => c.articleId),
  articleClaimsWithRetired: ({ claims }: Services) => plainList("Article.claims", (ids) => claims.byArticle(ids, true), (c) => c.articleId),
};

declare module "../graphql/context" {
  interface Services {
    claims: ClaimService;
    claimEditor: ClaimEditor;
  }
  interface Loaders extends LoadersOf<typeof loaders> {}
  interface Context {
    /** Who publishes ClaimReviews and where (configuration); null: none are exported. */
    reviewPublisher: ReviewPublisher | null;
  }
}

export const claimModule = defineModule({
  name: "claim",
  resolvers: claimResolvers,
  // Claims resolve their actor through the sources service (the source module comes first).
  services: ({ prisma, read }, { sources }) => ({ claims: new ClaimService(prisma, read, sources!), claimEditor: new ClaimEditor(prisma) }),
  loaders,
  nodes: {
    Claim: (id, ctx) => ctx.loaders.claim.load(id),
    VerdictChange: (id, ctx) => ctx.loaders.verdictChange.load(id),
  },
});
