import { badInput } from "./errors";

export type NodeType = "Article" | "Claim" | "Source" | "Event" | "VerdictChange" | "ApiKey";

const NODE_TYPES = new Set<string>(["Article", "Claim", "Source", "Event", "VerdictChange", "ApiKey"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Opaque, type-tagged IDs (`base64url("Claim:<uuid>")`), so `node(id)` knows where to look. */
export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString("base64url");
}

export function parseGlobalId(globalId: string): { type: NodeType; id: string } | null {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const sep = decoded.indexOf(":");
  const type = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  if (sep < 0 || !NODE_TYPES.has(type) || !UUID.test(id)) return null;
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
