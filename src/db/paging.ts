import { badInput } from "../validation/badInput";

export const MAX_PAGE_SIZE = 100;
/** The page size of a connection asked for without `first`. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The most rows a plain list's batched read returns (an article's claims, an event's mentions, a
 * source's members, a claim's history, …): 20,000, the default query cost limit, plus one to tell a
 * cut read from a full one. Past it the list's answer fails (graphql/listedItems.ts) rather than
 * reading an unbounded number of rows first.
 */
export const PLAIN_LIST_ROWS = 20_001;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

// Classes, so every edge and page info shares one shape, and cursors are encoded only if a client
// selects them.
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (row: T) => CursorValue[],
  ) {}

  get cursor(): string {
    return encodeCursor(this.cursorOf(this.node));
  }
}

class LazyPageInfo<T> implements PageInfo {
  constructor(
    private readonly nodes: T[],
    private readonly cursorOf: (row: T) => CursorValue[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.nodes.length ? encodeCursor(this.cursorOf(this.nodes[0])) : null;
  }

  get endCursor(): string | null {
    return this.nodes.length ? encodeCursor(this.cursorOf(this.nodes[this.nodes.length - 1])) : null;
  }
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Lazy: graphql's default resolver calls it only when a client selects `totalCount`. */
  totalCount: () => Promise<number>;
}

export type CursorValue = string | number | boolean | null;

/** `first: 0` is allowed (Relay rejects only negatives): an empty page still answers totalCount and pageInfo. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`, "first");
  }
  return size;
}

/** Cursors carry the sort key of the last row seen, so the next page is a keyset (index) seek. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** What one value of a cursor must be: free text, a uuid, an ISO timestamp, or one of an enum's values. */
export type CursorPart = "text" | "uuid" | "timestamp" | readonly string[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A cursor's instant: any four-digit year PostgreSQL has (0001-9999), not only the years a client may
 * write (1000-9999, the DateTime scalar): a cursor carries a stored row's value, and a row written
 * outside the API (psql, year 50) must still page. Year 0000 does not exist there (22008): a forged
 * cursor dated 0000 was an INTERNAL_SERVER_ERROR.
 */
const ISO_TIMESTAMP = /^(?!0000)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z$/;

function validPart(value: unknown, part: CursorPart): boolean {
  if (typeof value !== "string" || value.includes("\u0000")) return false;
  if (part === "text") return value.length <= 1_000;
  if (part === "uuid") return UUID.test(value);
  if (part === "timestamp") return ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
  return part.includes(value);
}

/**
 * Decodes a cursor and checks every value against the list's sort key, so a forged or corrupted
 * cursor is the client's error (BAD_USER_INPUT), never a database error.
 */
export function decodeCursor(cursor: string, shape: readonly CursorPart[]): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    values = null;
  }
  const valid = Array.isArray(values) && values.length === shape.length && values.every((v, i) => validPart(v, shape[i]));
  if (!valid) throw badInput("after is not a cursor from this list (it may come from another ordering)", "after");
  return values as string[];
}

/**
 * Whether `size + 1` fetched rows of a first page are every matching row: then the page's length is
 * the total, and no count needs to run (a rare search word, a small actor).
 */
export function isWholeList(rows: readonly unknown[], size: number, hasPrevious: boolean): boolean {
  return !hasPrevious && rows.length <= size;
}

/** Builds a connection from `size + 1` fetched rows: the extra row only signals a next page. */
export function toConnection<T>(
  rows: T[],
  size: number,
  cursorOf: (row: T) => CursorValue[],
  count: () => Promise<number>,
  hasPrevious: boolean,
): Connection<T> {
  const nodes = rows.slice(0, size);
  const edges = nodes.map((node) => new Edge(node, cursorOf));
  let counted: Promise<number> | undefined;
  return {
    edges,
    nodes,
    pageInfo: new LazyPageInfo(nodes, cursorOf, rows.length > size, hasPrevious),
    totalCount: () => (counted ??= isWholeList(rows, size, hasPrevious) ? Promise.resolve(nodes.length) : count()),
  };
}
