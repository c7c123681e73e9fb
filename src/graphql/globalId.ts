import { isUuid } from "../db/uuid";
import { badInput } from "../validation/badInput";

export type NodeType = "Article" | "Claim" | "Source" | "Event" | "VerdictChange" | "ApiKey";

const NODE_TYPES = new Set<string>(["Article", "Claim", "Source", "Event", "VerdictChange", "ApiKey"]);

/** Opaque, type-tagged IDs (`base64url("Claim:<uuid>")`), so `node(id)` knows where to look. */
export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString("base64url");
}

export function parseGlobalId(globalId: string): { type: NodeType; id: string } | null {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const sep = decoded.indexOf(":");
  const type = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  if (sep < 0 || !NODE_TYPES.has(type) || !isUuid(id)) return null;
  return { type: type as NodeType, id };
}

/** The database ID inside a global ID of the expected type, or null when it is not one. */
export function idOf(type: NodeType, globalId: string): string | null {
  const parsed = parseGlobalId(globalId);
  return parsed && parsed.type === type ? parsed.id : null;
}

/** Like idOf for filter arguments, where a malformed ID is the client's mistake: BAD_USER_INPUT. */
export function expectId(type: NodeType, globalId: string, argument: string): string {
  const id = idOf(type, globalId);
  if (!id) throw badInput(`${argument} is not a valid ${type} ID`, argument);
  return id;
}

/**
 * What a malformed ID in a mutation input decodes to: the nil UUID, which no row has (rows get
 * random v4 or v7 UUIDs). The service then answers NOT_FOUND as for any unknown ID, together with
 * the input's other mistakes.
 */
export const NO_NODE = "00000000-0000-0000-0000-000000000000";

/**
 * The database ID a mutation input's ID names (see NO_NODE for a malformed one). An optional ID
 * left empty keeps its meaning (none, or unchanged): resolvers pass it on as it is (`id && inputId(…)`).
 */
export function inputId(type: NodeType, globalId: string): string {
  return idOf(type, globalId) ?? NO_NODE;
}

/**
 * A filter with its ID fields decoded in the order given (a malformed one is BAD_USER_INPUT, see
 * expectId); an empty one is left as it is and filters nothing.
 */
export function decodeFilter<F extends object>(filter: F | null | undefined, types: { [K in keyof F]?: NodeType }): F | null | undefined {
  if (!filter) return filter;
  const decoded = { ...filter } as Record<string, unknown>;
  for (const [field, type] of Object.entries(types) as [string, NodeType][]) {
    const id = decoded[field];
    if (typeof id === "string" && id) decoded[field] = expectId(type, id, `filter.${field}`);
  }
  return decoded as F;
}
