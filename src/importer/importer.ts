import { createHash, randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { createArticle, updateArticle } from "../article/intake";
import { selectorAt } from "../article/anchoring";
import { announceWrite } from "../db/writes";
import { aliasRows } from "../source/service";
import type { SeedSet } from "./seedSchema";

// Advisory lock key for seed imports ("cgseed"); held for the transaction, so a kill releases it.
export const IMPORT_LOCK_KEY = 0x636773656564;
const TRANSACTION_TIMEOUT_MS = 30 * 60_000;
const BATCH = 1_000;

export class ImportAlreadyRunningError extends Error {
  readonly code = "IMPORT_ALREADY_RUNNING";
  constructor() {
    super("another seed import is already running; this one did nothing");
  }
}

export type Entity = "source" | "alias" | "event" | "participant" | "article" | "mention" | "claim" | "claimEvent" | "verdict";
export type Change = { entity: Entity; action: "create" | "update" | "delete" | "retire"; key: string; fields?: string[] };

export interface ImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  retired: number;
  /** Rows written (0 on a refresh with nothing new); the import-run record itself is not counted. */
  written: number;
  changes: Change[];
  byEntity: Record<Entity, { created: number; updated: number; deleted: number; unchanged: number; retired: number }>;
}

type Tx = Prisma.TransactionClient;

/** Field-by-field comparison of desired and stored values; returns the names that differ. */
function changedFields(current: Record<string, unknown>, desired: Record<string, unknown>): string[] {
  return Object.keys(desired).filter((k) => !sameValue(current[k], desired[k]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return (a ?? null) === (b ?? null);
}

/**
 * Brings the database in line with a seed set, writing only what differs, in one transaction.
 * Verdicts set by editors are never touched; seed claims that vanished are retired, not deleted.
 */
export async function runImport(prisma: PrismaClient, seed: SeedSet, options: { dryRun: boolean }): Promise<ImportResult> {
  const result = emptyResult(options.dryRun);
  const record = (change: Change) => {
    result.changes.push(change);
    const counts = result.byEntity[change.entity];
    if (change.action === "create") counts.created++;
    else if (change.action === "update") counts.updated++;
    else if (change.action === "delete") counts.deleted++;
    else counts.retired++;
  };
  const same = (entity: Entity, n = 1) => (result.byEntity[entity].unchanged += n);
  const write = !options.dryRun;
  const startedAt = new Date();

  await prisma.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${IMPORT_LOCK_KEY}::bigint) AS locked`;
      if (!locked) throw new ImportAlreadyRunningError();

      const sourceIds = await syncSources(tx, seed, write, record, same);
      const eventIds = await syncEvents(tx, seed, sourceIds, write, record, same);
      for (const article of seed.articles) {
        await syncArticle(tx, article, sourceIds, eventIds, write, record, same);
      }
      summarise(result);
      if (write) {
        await tx.importRun.create({
          data: {
            source: seed.origin,
            checksum: seed.checksum,
            dryRun: false,
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            retired: result.retired,
            outcome: "SUCCEEDED",
            startedAt,
            finishedAt: new Date(),
          },
        });
      }
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
  );
  // After the commit, so the announced position covers it. The table triggers already notified at
  // commit, so a failure here only costs other servers one look-up of the primary's position.
  if (write && result.written > 0) await announceWrite(prisma).catch(() => undefined);
  return result;
}

/** Records a failed run after its transaction rolled back, so the history shows it. */
export async function recordFailedImport(prisma: PrismaClient, origin: string, checksum: string, startedAt: Date, error: Error) {
  await prisma.importRun.create({
    data: { source: origin, checksum, dryRun: false, outcome: "FAILED", error: error.message.slice(0, 10_000), startedAt, finishedAt: new Date() },
  });
}

type Record_ = (change: Change) => void;
type Same = (entity: Entity, n?: number) => void;

async function syncSources(tx: Tx, seed: SeedSet, write: boolean, record: Record_, same: Same): Promise<Map<string, string>> {
  const existing = new Map(
    (await tx.source.findMany({ where: { slug: { in: seed.sources.map((s) => s.slug) } }, include: { aliases: true } })).map((s) => [s.slug, s]),
  );
  const ids = new Map<string, string>(seed.sources.map((s) => [s.slug, existing.get(s.slug)?.id ?? randomUUID()]));
  // Parents before members, so every affiliation points at an existing row.
  const depth = (slug: string, seen = 0): number => {
    const parent = seed.sources.find((s) => s.slug === slug)?.affiliation;
    return parent && seen < seed.sources.length ? 1 + depth(parent, seen + 1) : 0;
  };
  const ordered = [...seed.sources].sort((a, b) => depth(a.slug) - depth(b.slug));
  for (const source of ordered) {
    const id = ids.get(source.slug)!;
    const desired = {
      name: source.name,
      kind: source.kind,
      role: source.role ?? null,
      description: source.description ?? null,
      wikidataId: source.wikidataId ?? null,
      affiliationId: source.affiliation ? ids.get(source.affiliation)! : null,
    };
    const current = existing.get(source.slug);
    await syncRow(
      "source",
      source.slug,
      current,
      desired,
      { create: () => tx.source.create({ data: { id, slug: source.slug, ...desired } }), update: () => tx.source.update({ where: { id }, data: desired }) },
      write,
      record,
      same,
    );
    // Aliases: the matching keys of name + aliases; add the new ones, drop the stale ones.
    const wanted = aliasRows(source.name, source.aliases);
    const have = new Map((current?.aliases ?? []).map((a) => [a.normalized, a]));
    const toCreate = wanted.filter((a) => have.get(a.normalized)?.alias !== a.alias);
    const toDelete = [...have.values()].filter((a) => !wanted.some((w) => w.normalized === a.normalized && w.alias === a.alias));
    toDelete.forEach((a) => record({ entity: "alias", action: "delete", key: `${source.slug}:${a.alias}` }));
    toCreate.forEach((a) => record({ entity: "alias", action: "create", key: `${source.slug}:${a.alias}` }));
    same("alias", wanted.length - toCreate.length);
    if (write && toDelete.length) await tx.sourceAlias.deleteMany({ where: { id: { in: toDelete.map((a) => a.id) } } });
    if (write && toCreate.length) await tx.sourceAlias.createMany({ data: toCreate.map((a) => ({ ...a, sourceId: id })) });
  }
  return ids;
}

async function syncEvents(
  tx: Tx,
  seed: SeedSet,
  sourceIds: Map<string, string>,
  write: boolean,
  record: Record_,
  same: Same,
): Promise<Map<string, string>> {
  const existing = new Map(
    (await tx.event.findMany({ where: { slug: { in: seed.events.map((e) => e.slug) } }, include: { sources: true } })).map((e) => [e.slug, e]),
  );
  const ids = new Map<string, string>();
  for (const event of seed.events) {
    const current = existing.get(event.slug);
    const id = current?.id ?? randomUUID();
    ids.set(event.slug, id);
    const desired = {
      title: event.title,
      description: event.description,
      kind: event.kind,
      occurredAt: event.occurredAt,
      occurredPrecision: event.precision,
      location: event.location ?? null,
      referenceUrls: event.referenceUrls,
    };
    await syncRow(
      "event",
      event.slug,
      current,
      desired,
      { create: () => tx.event.create({ data: { id, slug: event.slug, ...desired } }), update: () => tx.event.update({ where: { id }, data: desired }) },
      write,
      record,
      same,
    );
    await syncSet(
      "participant",
      event.slug,
      (current?.sources ?? []).map((p) => ({ key: p.sourceId, value: p.role })),
      event.participants.map((p) => ({ key: sourceIds.get(p.source)!, value: p.role })),
      {
        remove: (keys) => tx.eventSource.deleteMany({ where: { eventId: id, sourceId: { in: keys } } }),
        add: (rows) => tx.eventSource.createMany({ data: rows.map((r) => ({ eventId: id, sourceId: r.key, role: r.value })) }),
      },
      write,
      record,
      same,
    );
  }
  return ids;
}

/** Creates a row, or updates only the fields that differ, or counts it unchanged. */
async function syncRow(
  entity: Entity,
  key: string,
  current: Record<string, unknown> | null | undefined,
  desired: Record<string, unknown>,
  ops: { create: () => Promise<unknown>; update: () => Promise<unknown> },
  write: boolean,
  record: Record_,
  same: Same,
) {
  if (!current) {
    record({ entity, action: "create", key });
    if (write) await ops.create();
    return;
  }
  const fields = changedFields(current, desired);
  if (!fields.length) return same(entity);
  record({ entity, action: "update", key, fields });
  if (write) await ops.update();
}

/**
 * Syncs a small keyed set (participants, mentions, claim links): rows whose value changed are
 * replaced, missing ones added, extra ones removed.
 */
async function syncSet<V>(
  entity: Entity,
  owner: string,
  current: { key: string; value: V }[],
  desired: { key: string; value: V }[],
  ops: { remove: (keys: string[]) => Promise<unknown>; add: (rows: { key: string; value: V }[]) => Promise<unknown> },
  write: boolean,
  record: Record_,
  same: Same,
) {
  const have = new Map(current.map((c) => [c.key, c.value]));
  const want = new Map(desired.map((d) => [d.key, d.value]));
  const remove = [...have.keys()].filter((k) => !want.has(k) || !sameValue(have.get(k), want.get(k)));
  const add = [...want].filter(([k, v]) => !have.has(k) || !sameValue(have.get(k), v)).map(([key, value]) => ({ key, value }));
  remove.filter((k) => !want.has(k)).forEach((k) => record({ entity, action: "delete", key: `${owner}:${k}` }));
  add.forEach((r) => record({ entity, action: have.has(r.key) ? "update" : "create", key: `${owner}:${r.key}` }));
  same(entity, want.size - add.length);
  if (write && remove.length) await ops.remove(remove);
  if (write && add.length) await ops.add(add);
}

async function syncArticle(
  tx: Tx,
  article: SeedSet["articles"][number],
  sourceIds: Map<string, string>,
  eventIds: Map<string, string>,
  write: boolean,
  record: Record_,
  same: Same,
) {
  const current = await tx.article.findUnique({ where: { url: article.url }, include: { events: true } });
  const id = current?.id ?? randomUUID();
  const desired = {
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
  await syncRow(
    "article",
    article.slug,
    current,
    desired,
    // The article service's write path: a changed body re-anchors the API's claims (the seed places its own).
    { create: () => createArticle(tx, { id, url: article.url, ...desired }), update: () => updateArticle(tx, id, desired, { name: "seed", apiKeyId: null }, ["API"]) },
    write,
    record,
    same,
  );
  await syncSet(
    "mention",
    article.slug,
    (current?.events ?? []).map((m) => ({ key: m.eventId, value: [m.dateAsWritten, m.discrepancy] })),
    article.events.map((m) => ({ key: eventIds.get(m.event)!, value: [m.dateAsWritten ?? null, m.discrepancy ?? null] })),
    {
      remove: (keys) => tx.articleEvent.deleteMany({ where: { articleId: id, eventId: { in: keys } } }),
      add: (rows) =>
        tx.articleEvent.createMany({
          data: rows.map((r) => ({ articleId: id, eventId: r.key, dateAsWritten: r.value[0], discrepancy: r.value[1] })),
        }),
    },
    write,
    record,
    same,
  );
  await syncClaims(tx, article, id, sourceIds, eventIds, write, record, same);
}

async function syncClaims(
  tx: Tx,
  article: SeedSet["articles"][number],
  articleId: string,
  sourceIds: Map<string, string>,
  eventIds: Map<string, string>,
  write: boolean,
  record: Record_,
  same: Same,
) {
  const keyOf = (local: string) => `${article.slug}/${local}`;
  const existing = new Map(
    (
      await tx.claim.findMany({
        where: { OR: [{ articleId, origin: "SEED" }, { key: { in: article.claims.map((c) => keyOf(c.key)) } }] },
        include: { events: true },
      })
    ).map((c) => [c.key, c]),
  );
  const creates: Prisma.ClaimCreateManyInput[] = [];
  const linkCreates: Prisma.ClaimEventCreateManyInput[] = [];
  const verdicts: Prisma.VerdictChangeCreateManyInput[] = [];

  for (const claim of article.claims) {
    const key = keyOf(claim.key);
    const { span } = claim;
    const desired = {
      articleId,
      sourceId: sourceIds.get(claim.source)!,
      text: claim.text,
      kind: claim.kind,
      channel: claim.channel,
      saidAt: claim.saidAt,
      saidAtPrecision: claim.saidAtPrecision,
      ...selectorAt(article.bodyText, span.start, span.end),
      anchoring: "EXACT" as const,
      anchorScore: null,
      retiredAt: null,
    };
    const current = existing.get(key);
    const id = current?.id ?? randomUUID();
    const links = claim.events.map((l) => ({ eventId: eventIds.get(l.event)!, linkType: l.link }));
    if (!current) {
      record({ entity: "claim", action: "create", key });
      creates.push({
        id,
        key,
        origin: "SEED",
        ...desired,
        status: claim.verdict?.status ?? "UNVERIFIED",
        attribution: claim.attributionVerdict?.status ?? "UNCHECKED",
      });
      links.forEach((l) => record({ entity: "claimEvent", action: "create", key: `${key}:${l.eventId}:${l.linkType}` }));
      linkCreates.push(...links.map((l) => ({ claimId: id, ...l })));
      if (claim.verdict && claim.verdict.status !== "UNVERIFIED") {
        record({ entity: "verdict", action: "create", key });
        verdicts.push(seedVerdict(id, "VERIFICATION", claim.verdict, { toStatus: claim.verdict.status, fromStatus: "UNVERIFIED" }));
      }
      if (claim.attributionVerdict && claim.attributionVerdict.status !== "UNCHECKED") {
        record({ entity: "verdict", action: "create", key });
        verdicts.push(
          seedVerdict(id, "ATTRIBUTION", claim.attributionVerdict, { toAttribution: claim.attributionVerdict.status, fromAttribution: "UNCHECKED" }),
        );
      }
      continue;
    }
    // A verdict the seed set is only refreshed while the seed still owns it (no editor touched it).
    const update: Prisma.ClaimUncheckedUpdateInput = {};
    const fields = changedFields(current, desired);
    for (const field of fields) (update as Record<string, unknown>)[field] = desired[field as keyof typeof desired];
    const seedStatus = claim.verdict?.status ?? "UNVERIFIED";
    if (current.statusOrigin === "SEED" && current.status !== seedStatus) {
      fields.push("status");
      update.status = seedStatus;
      verdicts.push(seedVerdict(id, "VERIFICATION", claim.verdict, { fromStatus: current.status, toStatus: seedStatus }));
      record({ entity: "verdict", action: "create", key });
    }
    const seedAttribution = claim.attributionVerdict?.status ?? "UNCHECKED";
    if (current.attributionOrigin === "SEED" && current.attribution !== seedAttribution) {
      fields.push("attribution");
      update.attribution = seedAttribution;
      verdicts.push(
        seedVerdict(id, "ATTRIBUTION", claim.attributionVerdict, { fromAttribution: current.attribution, toAttribution: seedAttribution }),
      );
      record({ entity: "verdict", action: "create", key });
    }
    if (fields.length) {
      record({ entity: "claim", action: "update", key, fields });
      if (write) await tx.claim.update({ where: { id }, data: update });
    } else same("claim");
    await syncSet(
      "claimEvent",
      key,
      current.events.map((l) => ({ key: `${l.eventId}|${l.linkType}`, value: true })),
      links.map((l) => ({ key: `${l.eventId}|${l.linkType}`, value: true })),
      {
        remove: (keys) =>
          tx.claimEvent.deleteMany({
            where: { claimId: id, OR: keys.map((k) => ({ eventId: k.split("|")[0], linkType: k.split("|")[1] as never })) },
          }),
        add: (rows) =>
          tx.claimEvent.createMany({ data: rows.map((r) => ({ claimId: id, eventId: r.key.split("|")[0], linkType: r.key.split("|")[1] as never })) }),
      },
      write,
      record,
      same,
    );
  }

  const seedKeys = new Set(article.claims.map((c) => keyOf(c.key)));
  const toRetire = [...existing.values()].filter((c) => c.origin === "SEED" && !seedKeys.has(c.key) && !c.retiredAt);
  toRetire.forEach((c) => record({ entity: "claim", action: "retire", key: c.key }));

  if (!write) return;
  for (let i = 0; i < creates.length; i += BATCH) await tx.claim.createMany({ data: creates.slice(i, i + BATCH) });
  for (let i = 0; i < linkCreates.length; i += BATCH) await tx.claimEvent.createMany({ data: linkCreates.slice(i, i + BATCH) });
  if (verdicts.length) await tx.verdictChange.createMany({ data: verdicts });
  if (toRetire.length) await tx.claim.updateMany({ where: { id: { in: toRetire.map((c) => c.id) } }, data: { retiredAt: new Date() } });
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

function emptyResult(dryRun: boolean): ImportResult {
  const zero = () => ({ created: 0, updated: 0, deleted: 0, unchanged: 0, retired: 0 });
  const entities: Entity[] = ["source", "alias", "event", "participant", "article", "mention", "claim", "claimEvent", "verdict"];
  return {
    dryRun,
    created: 0,
    updated: 0,
    unchanged: 0,
    retired: 0,
    written: 0,
    changes: [],
    byEntity: Object.fromEntries(entities.map((e) => [e, zero()])) as ImportResult["byEntity"],
  };
}

function summarise(result: ImportResult) {
  for (const counts of Object.values(result.byEntity)) {
    result.created += counts.created;
    result.updated += counts.updated + counts.deleted;
    result.unchanged += counts.unchanged;
    result.retired += counts.retired;
  }
  result.written = result.created + result.updated + result.retired;
}
