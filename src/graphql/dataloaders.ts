import DataLoader from "dataloader";
import { checkedPlainRead } from "./listedItems";

/** One row per key (null when missing), from a batch fetch of rows carrying an `id`. */
export function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** All rows per key, in the order the batch fetch returned them. */
export function groupedBy<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch(keys)) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/**
 * groupedBy for a plain list field (`Type.field`), whose batch read stops at PLAIN_LIST_ROWS rows: a
 * cut read fails every key of the batch, as each of them is listed in the answer.
 */
export function plainList<T>(field: string, fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return groupedBy(async (keys) => checkedPlainRead(field, await fetch(keys)), keyOf);
}
