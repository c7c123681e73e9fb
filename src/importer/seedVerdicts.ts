import type { Claim, Prisma } from "../generated/prisma/client";
import type { DesiredClaim } from "./claims";
import type { ImportRun } from "./importRun";

/** A claim's verdict state, as read from its row. */
export type VerdictState = Pick<Claim, "status" | "attribution" | "statusOrigin" | "attributionOrigin">;

/**
 * The seed's verdicts on a claim, as verdict changes from its current state; returns the status
 * columns that change. A verdict the seed set is only refreshed while the seed still owns it (no
 * editor touched it).
 */
export function seedVerdicts(run: ImportRun, claimId: string, claim: DesiredClaim, current: VerdictState) {
  const changed: Partial<Pick<Claim, "status" | "attribution">> = {};
  const verdicts: Prisma.VerdictChangeCreateManyInput[] = [];
  if (current.statusOrigin === "SEED" && current.status !== claim.status) {
    changed.status = claim.status;
    run.record({ entity: "verdict", action: "create", key: claim.key });
    verdicts.push(seedVerdict(claimId, "VERIFICATION", claim.seed.verdict, { fromStatus: current.status, toStatus: claim.status }));
  }
  if (current.attributionOrigin === "SEED" && current.attribution !== claim.attribution) {
    changed.attribution = claim.attribution;
    run.record({ entity: "verdict", action: "create", key: claim.key });
    verdicts.push(seedVerdict(claimId, "ATTRIBUTION", claim.seed.attributionVerdict, { fromAttribution: current.attribution, toAttribution: claim.attribution }));
  }
  return { changed, verdicts };
}

function seedVerdict(
  claimId: string,
  aspect: "VERIFICATION" | "ATTRIBUTION",
  verdict: { rationale?: string; evidenceUrls: string[] } | undefined,
  change: Partial<Prisma.VerdictChangeCreateManyInput>,
): Prisma.VerdictChangeCreateManyInput {
  return {
    claimId,
    aspect,
    rationale: verdict?.rationale ?? "reset by the seed",
    evidenceUrls: verdict?.evidenceUrls ?? [],
    changedBy: "seed",
    ...change,
  };
}
