import type { Entity, ImportRun } from "./importRun";

/** Field-by-field comparison of desired and stored values; returns the names that differ. */
export function changedFields<T extends Record<string, unknown>>(current: object, desired: T): (keyof T & string)[] {
  const stored = current as Record<string, unknown>;
  return Object.keys(desired).filter((k) => !sameValue(stored[k], desired[k]));
}

/** Equality of stored and desired values: dates by time, lists and objects (claim links) by content, null = absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => sameValue(a[k], b[k]));
  }
  return (a ?? null) === (b ?? null);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Counts a row as created, updated (with the differing fields) or unchanged; says which. */
export function diffRow(run: ImportRun, entity: Entity, key: string, current: object | null | undefined, desired: Record<string, unknown>) {
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
export function diffSet<V>(run: ImportRun, entity: Entity, owner: string, current: Map<string, V>, desired: Map<string, V>) {
  const remove = [...current.keys()].filter((k) => !desired.has(k) || !sameValue(current.get(k), desired.get(k)));
  const add = [...desired.keys()].filter((k) => !current.has(k) || !sameValue(current.get(k), desired.get(k)));
  remove.filter((k) => !desired.has(k)).forEach((k) => run.record({ entity, action: "delete", key: `${owner}:${k}` }));
  add.forEach((k) => run.record({ entity, action: current.has(k) ? "update" : "create", key: `${owner}:${k}` }));
  run.unchanged(entity, desired.size - add.length);
  return { remove, add };
}
