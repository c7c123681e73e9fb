import { randomUUID } from "node:crypto";
import type { Claim, ClaimEventLinkType } from "../generated/prisma/client";
import { selectorAt } from "../article/anchoring";
import { insertClaimEventsSql, insertClaimsSql, seedClaimsSql, type NewClaim } from "../claim/importSql";
import { changedFields, diffSet } from "./diff";
import type { ImportRun } from "./importRun";
import { BATCH, batches, type StoredClaimWrites } from "./claimWrites";
import { insertSeedVerdictsSql, seedVerdicts, type SeedVerdict } from "./seedVerdicts";
import { seedClaimColumns, type SeedArticle, type SeedClaim } from "./seedSchema";

export type Link = { eventId: string; linkType: ClaimEventLinkType };
/** A claim's event links by identity. The key tells links apart and names one in a change; it is never parsed. */
type Links = Map<string, Link>;
const linksByKey = (links: readonly Link[]): Links => new Map(links.map((l) => [`${l.eventId}|${l.linkType}`, l]));

/** A stored claim as the import compares it (every column, through claim/importSql.ts's typed map), with its event links. */
type StoredClaim = Claim & { links: Link[] };

/**
 * The claims of an article, in two steps. Now: the stored claims are read without locking them,
 * every difference is worked out (the CPU work), and new claims are inserted (rows nobody else can
 * see before the commit). The existing claims that change are returned, for the end of the import
 * (writeStoredClaims, under the article's lock: importer.ts), so an editor's verdict waits only for
 * that short write.
 */
export async function syncClaims(run: ImportRun, article: SeedArticle, articleId: string): Promise<ArticleClaimWrites> {
  const rows = await run.tx.$queryRaw<StoredClaim[]>(seedClaimsSql({ articleId, keys: article.claims.map((c) => claimKey(article, c)) }));
  const stored = new Map(rows.map((c) => [c.key, c]));
  const fresh: FreshClaims = { claims: [], links: [], verdicts: [] };
  const existing: StoredClaimWrites = { claims: [], linkRemovals: [], linkCreates: [], retirements: [] };
  for (const seedClaim of article.claims) {
    const claim = desiredClaim(run, article, articleId, seedClaim);
    const current = stored.get(claim.key);
    if (current) diffStoredClaim(run, existing, current, claim);
    else diffNewClaim(run, fresh, claim);
  }
  const listed = new Set(article.claims.map((c) => claimKey(article, c)));
  for (const claim of stored.values()) {
    if (claim.origin !== "SEED" || listed.has(claim.key) || claim.retiredAt) continue;
    run.record({ entity: "claim", action: "retire", key: claim.key });
    existing.retirements.push(claim.id);
  }
  if (run.write) await insertFreshClaims(run.tx, fresh);
  const pending = existing.claims.length + existing.linkRemovals.length + existing.linkCreates.length + existing.retirements.length;
  return { inserted: fresh.claims.map((c) => c.id), stored: pending ? existing : null };
}

/** What an article's claims wrote now (new seed claims, by id) and leave for the end (existing ones). */
export interface ArticleClaimWrites {
  inserted: string[];
  stored: StoredClaimWrites | null;
}

const claimKey = (article: SeedArticle, claim: SeedClaim) => `${article.slug}/${claim.key}`;

/** A seed claim as the database should hold it. */
function desiredClaim(run: ImportRun, article: SeedArticle, articleId: string, claim: SeedClaim) {
  return {
    key: claimKey(article, claim),
    seed: claim,
    /** The columns the seed owns outright, compared with the stored row. */
    columns: {
      articleId,
      sourceId: run.sourceIds.get(claim.source)!,
      ...seedClaimColumns(claim),
      ...selectorAt(article.bodyText, claim.span.start, claim.span.end),
      anchoring: "EXACT" as const,
      anchorScore: null,
      retiredAt: null,
    },
    status: claim.verdict?.status ?? "UNVERIFIED",
    attribution: claim.attributionVerdict?.status ?? "UNCHECKED",
    links: linksByKey(claim.events.map((l) => ({ eventId: run.eventIds.get(l.event)!, linkType: l.link }))),
  };
}
export type DesiredClaim = ReturnType<typeof desiredClaim>;

/** New claims, their links and their seed verdicts, inserted as soon as an article is diffed. */
interface FreshClaims {
  claims: NewClaim[];
  links: (Link & { claimId: string })[];
  verdicts: SeedVerdict[];
}

function diffNewClaim(run: ImportRun, fresh: FreshClaims, claim: DesiredClaim) {
  const id = randomUUID();
  run.record({ entity: "claim", action: "create", key: claim.key });
  fresh.claims.push({ id, key: claim.key, origin: "SEED", ...claim.columns, status: claim.status, attribution: claim.attribution });
  for (const [linkKey, link] of claim.links) {
    run.record({ entity: "claimEvent", action: "create", key: `${claim.key}:${linkKey}` });
    fresh.links.push({ claimId: id, ...link });
  }
  fresh.verdicts.push(...seedVerdicts(run, id, claim, { status: "UNVERIFIED", attribution: "UNCHECKED", statusOrigin: "SEED", attributionOrigin: "SEED" }).verdicts);
}

/**
 * A stored claim: the columns that differ, and whether its verdicts may change (the seed still owns
 * a verdict that differs). What the verdicts become is decided on the locked row at the end.
 */
function diffStoredClaim(run: ImportRun, existing: StoredClaimWrites, current: StoredClaim, claim: DesiredClaim) {
  const fields = changedFields(current, claim.columns);
  const verdictsMayChange =
    (current.statusOrigin === "SEED" && current.status !== claim.status) || (current.attributionOrigin === "SEED" && current.attribution !== claim.attribution);
  if (fields.length || verdictsMayChange) existing.claims.push({ id: current.id, claim, fields });
  else run.unchanged("claim");

  const stored = linksByKey(current.links);
  const { remove, add } = diffSet(run, "claimEvent", claim.key, stored, claim.links);
  existing.linkRemovals.push(...remove.map((k) => ({ claimId: current.id, ...stored.get(k)! })));
  existing.linkCreates.push(...add.map((k) => ({ claimId: current.id, ...claim.links.get(k)! })));
}

async function insertFreshClaims(tx: ImportRun["tx"], fresh: FreshClaims) {
  for (const batch of batches(fresh.claims, BATCH)) await tx.$executeRaw(insertClaimsSql(batch));
  for (const batch of batches(fresh.links, BATCH)) await tx.$executeRaw(insertClaimEventsSql(batch));
  for (const batch of batches(fresh.verdicts, BATCH)) await tx.$executeRaw(insertSeedVerdictsSql(batch));
}
