import { createHash, randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";
import { createArticle, updateArticle, type ArticleData } from "../article/intake";
import { lockArticleSql } from "../article/sql";
import { announceWrite } from "../db/writes";
import { aliasRows } from "../source/service";
import { syncClaims, type ArticleClaimWrites } from "./claims";
import { writeStoredClaims } from "./claimWrites";
import { diffRow, diffSet } from "./diff";
import { ImportRun, type ImportResult, type Tx } from "./importRun";
import type { SeedArticle, SeedSet } from "./seedSchema";

export type { ImportResult } from "./importRun";

// Advisory lock key for seed imports ("cgseed"); held for the transaction, so a kill releases it.
export const IMPORT_LOCK_KEY = 0x636773656564;
const TRANSACTION_TIMEOUT_MS = 30 * 60_000;

export class ImportAlreadyRunningError extends Error {
  readonly code = "IMPORT_ALREADY_RUNNING";
  constructor() {
    super("another seed import is already running; this one did nothing");
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
      // Last, the writes that lock rows editors write: those locks last from here to the commit.
      for (const write of run.atTheEnd) await write();
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
  const { id, desired, action } = await upsertArticle(run, article);
  await syncMentions(run, article, id);
  const claims = await syncClaims(run, article, id);
  const bodyDependent = action === "update" || (action === "unchanged" && claims.inserted.length > 0) || claims.stored;
  if (bodyDependent) run.atTheEnd.push(() => settleArticle(run, article.slug, id, desired, action === "update", claims));
}

/**
 * The article row itself, matched by slug first (the seed's own stable key), then by URL, so a
 * corrected URL updates the article in place instead of creating a second one. A new one is
 * written now; a changed one at the end (settleArticle).
 */
async function upsertArticle(run: ImportRun, article: SeedArticle) {
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
  if (run.write && action === "create") await createArticle(tx, { id, ...desired });
  return { id, desired, action };
}

/**
 * At the end of the import, what of an existing article depends on its body, under the article's
 * row lock (taken before its claims', as a correction takes them): the seed's claims carry the seed
 * body's offsets, so the body they commit with must be the seed's. A correction an editor committed
 * since the article was read is replaced (as the next refresh would replace it); then every claim the
 * seed did not place itself in this run (the API's, a seed claim an editor re-quoted since it was
 * read) is re-anchored to it.
 */
async function settleArticle(run: ImportRun, slug: string, id: string, desired: ArticleData & { contentHash: string }, changed: boolean, claims: ArticleClaimWrites) {
  const { stored } = claims;
  const { tx } = run;
  if (!run.write) return void (stored && (await writeStoredClaims(run, stored)));
  const [row] = await tx.$queryRaw<{ content_hash: string }[]>(lockArticleSql(id));
  const corrected = !changed && row !== undefined && row.content_hash !== desired.contentHash;
  if (corrected) {
    // Counted unchanged when it was read; it is written after all.
    run.unchanged("article", -1);
    run.record({ entity: "article", action: "update", key: slug, fields: ["body"] });
  }
  if (stored) await writeStoredClaims(run, stored);
  // After the seed's own claims are written, at the seed body's offsets: re-anchoring leaves them out.
  const placed = [...claims.inserted, ...(stored?.claims.map((c) => c.id) ?? [])];
  if (changed || corrected) await updateArticle(tx, id, desired, { name: "seed", apiKeyId: null }, undefined, placed);
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
