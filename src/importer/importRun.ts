import type { Prisma } from "../generated/prisma/client";
import type { SeedSet } from "./seedSchema";

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

export type Tx = Prisma.TransactionClient;
const ENTITIES: Entity[] = ["source", "alias", "event", "participant", "article", "mention", "claim", "claimEvent", "verdict"];

/**
 * One import inside its transaction: what it writes through, the ids it has resolved, the changes
 * it has counted so far, and the writes it keeps for the end (those that lock rows editors write).
 * Every step is a function of it.
 */
export class ImportRun {
  readonly result: ImportResult;
  readonly startedAt = new Date();
  /** Seed slug → database id, filled in by the source and event steps for the steps after them. */
  readonly sourceIds = new Map<string, string>();
  readonly eventIds = new Map<string, string>();
  /**
   * Writes that lock rows an editor may be writing (existing claims; articles, whose body change
   * re-anchors the API's claims): run together at the end of the transaction, so those locks are
   * held only from their write to the commit.
   */
  readonly atTheEnd: (() => Promise<void>)[] = [];

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
