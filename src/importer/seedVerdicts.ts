import { Prisma, type Claim } from "../generated/prisma/client";
import type { DesiredClaim } from "./claims";
import type { ImportRun } from "./importRun";

/** A claim's verdict state, as read from its row. */
export type VerdictState = Pick<Claim, "status" | "attribution" | "statusOrigin" | "attributionOrigin">;

/** A verdict change the seed makes (changedBy "seed"). */
export type SeedVerdict = Pick<Prisma.VerdictChangeCreateManyInput, "claimId" | "fromStatus" | "toStatus" | "fromAttribution" | "toAttribution"> & {
  aspect: "VERIFICATION" | "ATTRIBUTION";
  rationale: string;
  evidenceUrls: string[];
};

/**
 * The seed's verdicts on a claim, as verdict changes from its current state; returns the status
 * columns that change. A verdict the seed set is only refreshed while the seed still owns it (no
 * editor touched it).
 */
export function seedVerdicts(run: ImportRun, claimId: string, claim: DesiredClaim, current: VerdictState) {
  const changed: Partial<Pick<Claim, "status" | "attribution">> = {};
  const verdicts: SeedVerdict[] = [];
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
  change: Pick<SeedVerdict, "fromStatus" | "toStatus"> | Pick<SeedVerdict, "fromAttribution" | "toAttribution">,
): SeedVerdict {
  return { claimId, aspect, rationale: verdict?.rationale ?? "reset by the seed", evidenceUrls: verdict?.evidenceUrls ?? [], ...change };
}

/**
 * The seed's verdict changes in one statement (Prisma's createMany spent seconds on a few thousand
 * while the claims were locked). Stamped with the time of the insert, not of the import's start
 * (CURRENT_TIMESTAMP): an editor's verdict that landed before these rows were locked sorts first.
 */
export function insertSeedVerdictsSql(rows: SeedVerdict[]): Prisma.Sql {
  const column = <K extends keyof SeedVerdict>(key: K) => rows.map((r) => r[key] ?? null);
  return Prisma.sql`
    INSERT INTO verdict_change (id, claim_id, aspect, from_status, to_status, from_attribution, to_attribution, rationale, evidence_urls, changed_by, created_at)
    SELECT gen_random_uuid(), claim_id, aspect::"VerdictAspect", from_status::"VerificationStatus", to_status::"VerificationStatus",
           from_attribution::"AttributionStatus", to_attribution::"AttributionStatus", rationale, ARRAY(SELECT json_array_elements_text(evidence_urls)),
           'seed', clock_timestamp()
    FROM unnest(${column("claimId")}::uuid[], ${column("aspect")}::text[], ${column("fromStatus")}::text[], ${column("toStatus")}::text[],
                ${column("fromAttribution")}::text[], ${column("toAttribution")}::text[], ${column("rationale")}::text[],
                ${rows.map((r) => JSON.stringify(r.evidenceUrls))}::json[])
      AS t(claim_id, aspect, from_status, to_status, from_attribution, to_attribution, rationale, evidence_urls)`;
}
