import { createHash, randomUUID } from "node:crypto";
import { Prisma, type Claim, type PrismaClient } from "../generated/prisma/client";
import type { AttributionStatus, ClaimEventLinkType, VerificationStatus } from "../generated/prisma/enums";
import { selectorAt } from "../article/anchoring";
import { createArticle, updateArticle } from "../article/intake";
import { insertClaimEventsSql, insertClaimsSql, seedClaimsSql, type NewClaim } from "../claim/sql";
import { announceWrite } from "../db/writes";
import { aliasRows } from "../source/service";
import { seedClaimColumns, type SeedArticle, type SeedClaim, type SeedSet } from "./seedSchema";

// Advisory lock key for seed imports ("cgseed"); held for the transaction, so a kill releases it.
export const IMPORT_LOCK_KEY = 0x636773656564;
const TRANSACTION_TIMEOUT_MS = 30 * 60_000;
/** Rows per statement: well under PostgreSQL's 65,535 bind parameters, and one statement at a time. */
const BATCH = 1_000;

export class ImportAlreadyRunningError extends Error {
  readonly code = "IMPORT_ALREADY_RUNNING";
  constructor() {
    super("another seed import is already running; this one did nothing");
  }
}

export type Entity = "source" | "alias" | "event" | "participant" | "article" | "mention" | "claim" | "claimEvent" | "verdict";
export type Change = { entity: Entity; action: "create" | "update" | "delete" | "retire"; key: string; fields?: string[] };
type Counts = { created: number; updated: number; deleted: number; unchanged: number; retired: number };

export interface ImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  retired: number;
  /** Rows written (0 on a refresh with nothing new); the import-run record itself is not counted. */
  written: number;
  changes: Change[];
  byEntity: Record<Entity, Counts>;
}

type Tx = Prisma.TransactionClient;
const ENTITIES: Entity[] = ["source", "alias", "event", "participant", "article", "mention", "claim", "claimEvent", "verdict"];

/**
 * One import inside its transaction: what it writes through, the ids it has resolved, and the
 * changes it has counted so far. Every step is a function of it.
 */
class ImportRun {
  readonly result: ImportResult;
  readonly startedAt = new Date();
  /** Seed slug → database id, filled in by the source and event steps for the steps after them. */
  readonly sourceIds = new Map<string, string>();
  readonly eventIds = new Map<string, string>();

  constructor(
    readonly tx: Tx,
    readonly seed: SeedSet,
    /** False on a dry run: every change is counted, nothing is written. */
    readonly write: boolean,
  ) {
    const byEntity = Object.fromEntries(ENTITIES.map((e) => [e, { created: 0, updated: 0, deleted: 0, unchanged: 0, retired: 0 }]));
    this.result = { dryRun: !write, created: 0, updated: 0, unchanged: 0, retired: 0, written: 0, changes: [], byEntity: byEntity as ImportResult["byEntity"] };
  }

  record(change: Change) {
    this.result.changes.push(change);
    const counts = this.result.byEntity[change.entity];
    if (change.action === "create") counts.created++;
    else if (change.action === "update") counts.updated++;
    else if (change.action === "delete") counts.deleted++;
    else counts.retired++;
  }

  unchanged(entity: Entity, n = 1) {
    this.result.byEntity[entity].unchanged += n;
  }

  summarise(): ImportResult {
    const r = this.result;
    for (const counts of Object.values(r.byEntity)) {
      r.created += counts.created;
      r.updated += counts.updated + counts.deleted;
      r.unchanged += counts.unchanged;
      r.retired += counts.retired;
    }
    r.written = r.created + r.updated + r.retired;
    return r;
  }
}

/**
 * Brings the database in line with a seed set (loaded and validated by loadSeed), writing only what
 * differs, in one transaction. Verdicts set by editors are never touched; seed claims that vanished
 * are retired, not deleted.
 */
export async function runImport(prisma: PrismaClient, seed: SeedSet, options: { dryRun: boolean }): Promise<ImportResult> {
  const result = await prisma.$transaction(
    async (tx) => {
      await takeImportLock(tx);
      const run = new ImportRun(tx, seed, !options.dryRun);
      await syncSources(run);
      await syncEvents(run);
      for (const article of seed.articles) await syncArticle(run, article);
      const result = run.summarise();
      await recordRun(run);
      return result;
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
  );
  // After the commit, so the announced position covers it. The table triggers already notified at
  // commit, so a failure here only costs other servers one look-up of the primary's position.
  if (!options.dryRun && result.written > 0) await announceWrite(prisma).catch(() => undefined);
  return result;
}

async function takeImportLock(tx: Tx) {
  const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${IMPORT_LOCK_KEY}::bigint) AS locked`;
  if (!locked) throw new ImportAlreadyRunningError();
}

async function recordRun(run: ImportRun) {
  if (!run.write) return;
  const { result, seed } = run;
  await run.tx.importRun.create({
    data: {
      source: seed.origin,
      checksum: seed.checksum,
      dryRun: false,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      retired: result.retired,
      outcome: "SUCCEEDED",
      startedAt: run.startedAt,
      finishedAt: new Date(),
    },
  });
}

/** Records a failed run (its transaction rolled back, or it never started), so the history shows it. */
export async function recordFailedImport(prisma: PrismaClient, origin: string, checksum: string, startedAt: Date, error: Error) {
  await prisma.importRun.create({
    data: { source: origin, checksum, dryRun: false, outcome: "FAILED", error: error.message.slice(0, 10_000), startedAt, finishedAt: new Date() },
  });
}

/** Field-by-field comparison of desired and stored values; returns the names that differ. */
function changedFields<T extends Record<string, unknown>>(current: object, desired: T): (keyof T & string)[] {
  const stored = current as Record<string, unknown>;
  return Object.keys(desired).filter((k) => !sameValue(stored[k], desired[k]));
}

/** Equality of stored and desired values: dates by time, lists and objects (claim links) by content, null = absent. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => sameValue(a[k], b[k]));
  }
  return (a ?? null) === (b ?? null);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function pick<T extends Record<string, unknown>>(values: T, fields: (keyof T)[]): Partial<T> {
  return Object.fromEntries(fields.map((f) => [f, values[f]])) as Partial<T>;
}

/** Counts a row as created, updated (with the differing fields) or unchanged; says which. */
function diffRow(run: ImportRun, entity: Entity, key: string, current: object | null | undefined, desired: Record<string, unknown>) {
  if (!current) {
    run.record({ entity, action: "create", key });
    return "create" as const;
  }
  const fields = changedFields(current, desired);
  if (!fields.length) {
    run.unchanged(entity);
    return "unchanged" as const;
  }
  run.record({ entity, action: "update", key, fields });
  return "update" as const;
}

/**
 * Diffs a small keyed set (participants, mentions, claim links): rows whose value changed are
 * replaced, missing ones added, extra ones removed. Returns the keys to remove and to add.
 */
function diffSet<V>(run: ImportRun, entity: Entity, owner: string, current: Map<string, V>, desired: Map<string, V>) {
  const remove = [...current.keys()].filter((k) => !desired.has(k) || !sameValue(current.get(k), desired.get(k)));
  const add = [...desired.keys()].filter((k) => !current.has(k) || !sameValue(current.get(k), desired.get(k)));
  remove.filter((k) => !desired.has(k)).forEach((k) => run.record({ entity, action: "delete", key: `${owner}:${k}` }));
  add.forEach((k) => run.record({ entity, action: current.has(k) ? "update" : "create", key: `${owner}:${k}` }));
  run.unchanged(entity, desired.size - add.length);
  return { remove, add };
}

/** Parents before members, so every affiliation points at a row that exists (cycles are refused at validation). */
function parentsFirst(sources: SeedSet["sources"]): SeedSet["sources"] {
  const bySlug = new Map(sources.map((s) => [s.slug, s]));
  const ordered: SeedSet["sources"] = [];
  const placed = new Set<string>();
  const place = (slug: string, path: Set<string>) => {
    const source = bySlug.get(slug);
    if (!source || placed.has(slug) || path.has(slug)) return;
    path.add(slug);
    if (source.affiliation) place(source.affiliation, path);
    placed.add(slug);
    ordered.push(source);
  };
  for (const s of sources) place(s.slug, new Set());
  return ordered;
}

async function syncSources(run: ImportRun) {
  const { tx, seed, sourceIds } = run;
  const existing = new Map(
    (await tx.source.findMany({ where: { slug: { in: seed.sources.map((s) => s.slug) } }, include: { aliases: true } })).map((s) => [s.slug, s]),
  );
  for (const s of seed.sources) sourceIds.set(s.slug, existing.get(s.slug)?.id ?? randomUUID());
  for (const source of parentsFirst(seed.sources)) {
    const id = sourceIds.get(source.slug)!;
    const desired = {
      name: source.name,
      kind: source.kind,
      role: source.role ?? null,
      description: source.description ?? null,
      wikidataId: source.wikidataId ?? null,
      affiliationId: source.affiliation ? sourceIds.get(source.affiliation)! : null,
    };
    const current = existing.get(source.slug);
    const action = diffRow(run, "source", source.slug, current, desired);
    if (run.write && action === "create") await tx.source.create({ data: { id, slug: source.slug, ...desired } });
    if (run.write && action === "update") await tx.source.update({ where: { id }, data: desired });

    // Aliases: the matching keys of name + aliases; add the new ones, drop the stale ones.
    const wanted = aliasRows(source.name, source.aliases);
    const have = new Map((current?.aliases ?? []).map((a) => [a.normalized, a]));
    const toCreate = wanted.filter((a) => have.get(a.normalized)?.alias !== a.alias);
    const toDelete = [...have.values()].filter((a) => !wanted.some((w) => w.normalized === a.normalized && w.alias === a.alias));
    toDelete.forEach((a) => run.record({ entity: "alias", action: "delete", key: `${source.slug}:${a.alias}` }));
    toCreate.forEach((a) => run.record({ entity: "alias", action: "create", key: `${source.slug}:${a.alias}` }));
    run.unchanged("alias", wanted.length - toCreate.length);
    if (run.write && toDelete.length) await tx.sourceAlias.deleteMany({ where: { id: { in: toDelete.map((a) => a.id) } } });
    if (run.write && toCreate.length) await tx.sourceAlias.createMany({ data: toCreate.map((a) => ({ ...a, sourceId: id })) });
  }
}

async function syncEvents(run: ImportRun) {
  const { tx, seed, sourceIds, eventIds } = run;
  const existing = new Map(
    (await tx.event.findMany({ where: { slug: { in: seed.events.map((e) => e.slug) } }, include: { sources: true } })).map((e) => [e.slug, e]),
  );
  for (const event of seed.events) {
    const current = existing.get(event.slug);
    const id = current?.id ?? randomUUID();
    eventIds.set(event.slug, id);
    const desired = {
      title: event.title,
      description: event.description,
      kind: event.kind,
      occurredAt: event.occurredAt,
      occurredPrecision: event.precision,
      location: event.location ?? null,
      referenceUrls: event.referenceUrls,
    };
    const action = diffRow(run, "event", event.slug, current, desired);
    if (run.write && action === "create") await tx.event.create({ data: { id, slug: event.slug, ...desired } });
    if (run.write && action === "update") await tx.event.update({ where: { id }, data: desired });

    const roles = new Map(event.participants.map((p) => [sourceIds.get(p.source)!, p.role]));
    const { remove, add } = diffSet(run, "participant", event.slug, new Map((current?.sources ?? []).map((p) => [p.sourceId, p.role])), roles);
    if (!run.write) continue;
    if (remove.length) await tx.eventSource.deleteMany({ where: { eventId: id, sourceId: { in: remove } } });
    if (add.length) await tx.eventSource.createMany({ data: add.map((sourceId) => ({ eventId: id, sourceId, role: roles.get(sourceId)! })) });
  }
}

/** One article: its row, the events it mentions, and its claims. */
async function syncArticle(run: ImportRun, article: SeedArticle) {
  const articleId = await upsertArticle(run, article);
  await syncMentions(run, article, articleId);
  await syncClaims(run, article, articleId);
}

/**
 * The article row itself, returning its id. Matched by slug first (the seed's own stable key), then
 * by URL, so a corrected URL updates the article in place instead of creating a second one.
 */
async function upsertArticle(run: ImportRun, article: SeedArticle): Promise<string> {
  const { tx } = run;
  const rows = await tx.article.findMany({ where: { OR: [{ slug: article.slug }, { url: article.url }] } });
  const current = rows.find((a) => a.slug === article.slug) ?? rows[0];
  const id = current?.id ?? randomUUID();
  const desired = {
    url: article.url,
    urlVerified: article.urlVerified,
    urlNote: article.urlNote ?? null,
    slug: article.slug,
    title: article.title,
    publication: article.publication,
    authors: article.authors,
    section: article.section ?? null,
    brand: article.brand ?? null,
    tags: article.tags,
    topic: article.topic ?? null,
    region: article.region ?? null,
    publishedAt: article.publishedAt,
    body: article.bodyText,
    contentHash: createHash("sha256").update(article.bodyText).digest("hex"),
  };
  const action = diffRow(run, "article", article.slug, current, desired);
  // The article service's write path: a changed body re-anchors the API's claims (the seed places its own).
  if (run.write && action === "create") await createArticle(tx, { id, ...desired });
  if (run.write && action === "update") await updateArticle(tx, id, desired, { name: "seed", apiKeyId: null }, ["API"]);
  return id;
}

/** The events an article mentions, with the date as the article wrote it. */
async function syncMentions(run: ImportRun, article: SeedArticle, articleId: string) {
  const { tx, eventIds } = run;
  const current = await tx.articleEvent.findMany({ where: { articleId } });
  const desired = new Map(article.events.map((m) => [eventIds.get(m.event)!, [m.dateAsWritten ?? null, m.discrepancy ?? null] as const]));
  const { remove, add } = diffSet(
    run,
    "mention",
    article.slug,
    new Map(current.map((m) => [m.eventId, [m.dateAsWritten, m.discrepancy] as const])),
    desired,
  );
  if (!run.write) return;
  if (remove.length) await tx.articleEvent.deleteMany({ where: { articleId, eventId: { in: remove } } });
  if (add.length) {
    await tx.articleEvent.createMany({
      data: add.map((eventId) => ({ articleId, eventId, dateAsWritten: desired.get(eventId)![0], discrepancy: desired.get(eventId)![1] })),
    });
  }
}

type Link = { eventId: string; linkType: ClaimEventLinkType };
/** A claim's event links by identity. The key tells links apart and names one in a change; it is never parsed. */
type Links = Map<string, Link>;
const linksByKey = (links: readonly Link[]): Links => new Map(links.map((l) => [`${l.eventId}|${l.linkType}`, l]));

/** A stored claim as the import compares it (every column, through claim/sql.ts's typed map), with its event links. */
type StoredClaim = Claim & { links: Link[] };

/** The claims of an article, synced in two steps: what to write is worked out in full, then written in bulk. */
async function syncClaims(run: ImportRun, article: SeedArticle, articleId: string) {
  const stored = await lockClaims(run, articleId, article.claims.map((c) => claimKey(article, c)));
  const writes = diffClaims(run, article, articleId, stored);
  if (run.write) await applyClaimWrites(run.tx, writes);
}

const claimKey = (article: SeedArticle, claim: SeedClaim) => `${article.slug}/${claim.key}`;

/**
 * Reads the claims this import may change, locked until it commits: an editor's verdict sent
 * meanwhile waits for the import, then applies on top of it (never the other way round).
 */
async function lockClaims(run: ImportRun, articleId: string, keys: string[]): Promise<Map<string, StoredClaim>> {
  const rows = await run.tx.$queryRaw<StoredClaim[]>(seedClaimsSql({ articleId, keys, lock: run.write }));
  return new Map(rows.map((c) => [c.key, c]));
}

/** Everything an article's claims need written, worked out before any of it is. */
interface ClaimWrites {
  creates: NewClaim[];
  updates: { id: string; data: Prisma.ClaimUncheckedUpdateInput }[];
  verdicts: Prisma.VerdictChangeCreateManyInput[];
  linkRemovals: { claimId: string; links: Link[] }[];
  linkCreates: (Link & { claimId: string })[];
  /** Ids of seed claims the seed no longer lists. */
  retirements: string[];
}

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
type DesiredClaim = ReturnType<typeof desiredClaim>;

/** Counts every change an article's claims need, and collects the writes that make them. */
function diffClaims(run: ImportRun, article: SeedArticle, articleId: string, stored: Map<string, StoredClaim>): ClaimWrites {
  const writes: ClaimWrites = { creates: [], updates: [], verdicts: [], linkRemovals: [], linkCreates: [], retirements: [] };
  for (const seedClaim of article.claims) {
    const claim = desiredClaim(run, article, articleId, seedClaim);
    const current = stored.get(claim.key);
    if (current) diffStoredClaim(run, writes, current, claim);
    else diffNewClaim(run, writes, claim);
  }
  const listed = new Set(article.claims.map((c) => claimKey(article, c)));
  for (const claim of stored.values()) {
    if (claim.origin !== "SEED" || listed.has(claim.key) || claim.retiredAt) continue;
    run.record({ entity: "claim", action: "retire", key: claim.key });
    writes.retirements.push(claim.id);
  }
  return writes;
}

function diffNewClaim(run: ImportRun, writes: ClaimWrites, claim: DesiredClaim) {
  const id = randomUUID();
  run.record({ entity: "claim", action: "create", key: claim.key });
  writes.creates.push({ id, key: claim.key, origin: "SEED", ...claim.columns, status: claim.status, attribution: claim.attribution });
  for (const [linkKey, link] of claim.links) {
    run.record({ entity: "claimEvent", action: "create", key: `${claim.key}:${linkKey}` });
    writes.linkCreates.push({ claimId: id, ...link });
  }
  diffVerdicts(run, writes, id, claim);
}

function diffStoredClaim(run: ImportRun, writes: ClaimWrites, current: StoredClaim, claim: DesiredClaim) {
  const data: Prisma.ClaimUncheckedUpdateInput = {
    ...pick(claim.columns, changedFields(current, claim.columns)),
    ...diffVerdicts(run, writes, current.id, claim, current),
  };
  const fields = Object.keys(data);
  if (fields.length) {
    run.record({ entity: "claim", action: "update", key: claim.key, fields });
    writes.updates.push({ id: current.id, data });
  } else run.unchanged("claim");

  const stored = linksByKey(current.links);
  const { remove, add } = diffSet(run, "claimEvent", claim.key, stored, claim.links);
  if (remove.length) writes.linkRemovals.push({ claimId: current.id, links: remove.map((k) => stored.get(k)!) });
  writes.linkCreates.push(...add.map((k) => ({ claimId: current.id, ...claim.links.get(k)! })));
}

/**
 * The seed's verdicts on a claim, as verdict changes from the current (or a new claim's neutral)
 * status; returns the status columns that change. A verdict the seed set is only refreshed while
 * the seed still owns it (no editor touched it).
 */
function diffVerdicts(run: ImportRun, writes: ClaimWrites, claimId: string, claim: DesiredClaim, current?: StoredClaim) {
  const changed: { status?: VerificationStatus; attribution?: AttributionStatus } = {};
  const fromStatus = current?.status ?? "UNVERIFIED";
  if ((current?.statusOrigin ?? "SEED") === "SEED" && fromStatus !== claim.status) {
    changed.status = claim.status;
    run.record({ entity: "verdict", action: "create", key: claim.key });
    writes.verdicts.push(seedVerdict(claimId, "VERIFICATION", claim.seed.verdict, { fromStatus, toStatus: claim.status }));
  }
  const fromAttribution = current?.attribution ?? "UNCHECKED";
  if ((current?.attributionOrigin ?? "SEED") === "SEED" && fromAttribution !== claim.attribution) {
    changed.attribution = claim.attribution;
    run.record({ entity: "verdict", action: "create", key: claim.key });
    writes.verdicts.push(seedVerdict(claimId, "ATTRIBUTION", claim.seed.attributionVerdict, { fromAttribution, toAttribution: claim.attribution }));
  }
  return changed;
}

/** The writes, in bulk: claims and links with unnest, verdicts and retirements in batches; updates one by one (each differs). */
async function applyClaimWrites(tx: Tx, writes: ClaimWrites) {
  for (const batch of batches(writes.creates)) await tx.$executeRaw(insertClaimsSql(batch));
  for (const { id, data } of writes.updates) await tx.claim.update({ where: { id }, data });
  for (const { claimId, links } of writes.linkRemovals) await tx.claimEvent.deleteMany({ where: { claimId, OR: links } });
  for (const batch of batches(writes.linkCreates)) await tx.$executeRaw(insertClaimEventsSql(batch));
  for (const batch of batches(writes.verdicts)) await tx.verdictChange.createMany({ data: batch });
  const retiredAt = new Date();
  for (const batch of batches(writes.retirements)) await tx.claim.updateMany({ where: { id: { in: batch } }, data: { retiredAt } });
}

function* batches<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += BATCH) yield rows.slice(i, i + BATCH);
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
