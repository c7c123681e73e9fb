import { isScalarType, type GraphQLNamedType } from "graphql";

/**
 * The characters JSON writes for the text an answer carries, counted from the resolved value
 * without serialising it (listedItems.ts turns them into listed items). Round 6 of the attacks:
 * only `String` fields were counted, so 50 authors and 100 tags (`[String!]!`) of control
 * characters, each of which JSON writes as `\u0001`, answered 352 MB to one anonymous query.
 *
 * A string counts its length, its two quotes, and 5 more for each character JSON writes as a
 * six-character `\u00XX` escape. The other escapes (`\"`, `\\`, `\n`, …) write two characters for
 * one and UTF-8 takes at most three bytes for one, so the bytes written are at most three times
 * the count; counting them exactly as well would cost as much as serialising (a scan of every
 * character), where this costs one regular-expression test per string.
 */
export type TextChars = (value: unknown, limit?: number) => number;

/** U+0000–U+001F except \b \t \n \f \r: JSON.stringify writes them as `\u00XX`. */
const SIX_CHAR_ESCAPE = /[\u0000-\u0007\u000B\u000E-\u001F]/;

/**
 * A string's characters as JSON writes them. Past `limit` the count may stop early (a value the
 * answer has no room for is refused whatever its exact size, so it is not scanned to the end).
 */
export function stringChars(value: string, limit = Infinity): number {
  let chars = value.length + 2;
  if (chars >= limit || !SIX_CHAR_ESCAPE.test(value)) return chars;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 && code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d && (chars += 5) >= limit) break;
  }
  return chars;
}

/** `"+275760-09-13T00:00:00.000Z"`, the longest a Date writes (years 0–9999 write 26). */
const DATE_CHARS = 29;

/**
 * Characters WHATWG URL serialisation never percent-encodes in an http(s) URL without userinfo (no `@`):
 * such a URL serialises to at most its length plus the `/` of an empty path (and a short IPv4 host,
 * `http://1/` for `http://0.0.0.1/`, at most 14 more: bounded per URL). Anything else (non-ASCII, spaces,
 * quotes, `<>`, …, encoded as three characters or nine for a non-ASCII one) is serialised to be counted.
 */
const PLAIN_URL = /^[A-Za-z0-9\-._~:/?#&=+,;%!$*()[\]]*$/;

function urlChars(value: unknown): number {
  const text = String(value);
  if (PLAIN_URL.test(text)) return text.length + 3;
  try {
    return new URL(text).href.length + 2;
  } catch {
    return stringChars(text); // the scalar refuses it when the answer is serialised
  }
}

/** A JSON value as JSON.stringify writes it: a string, an ID, a DateTime (a Date or its ISO string), a JSONObject (a ClaimReview). */
function jsonChars(value: unknown): number {
  if (typeof value === "string") return stringChars(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value).length;
  if (value === null || typeof value !== "object") return 4;
  if (value instanceof Date) return DATE_CHARS;
  if (value instanceof URL) return urlChars(value.href);
  // Brackets or braces, and a comma or colon per item or entry (one too few for an empty one).
  if (Array.isArray(value)) return value.reduce((chars: number, item) => chars + 1 + jsonChars(item), 1);
  let chars = 1;
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && typeof item !== "function") chars += stringChars(key) + 2 + jsonChars(item);
  }
  return chars;
}

/** Scalars whose values are bounded per field (so by the document), like enums': not counted. */
const NO_TEXT = new Set(["Int", "Float", "Boolean"]);

/**
 * How a field of this named type counts its text: every scalar but numbers and booleans, so a scalar
 * added later is counted too; a URL as its scalar will serialise it. A list counts every element,
 * until the count reaches the `limit` given (past the room the answer has left nothing fits). Undefined for objects and enums (counted as items, or bounded by the document).
 */
export function textCharsOf(type: GraphQLNamedType, list: boolean): TextChars | undefined {
  if (!isScalarType(type) || NO_TEXT.has(type.name)) return undefined;
  const write: TextChars = type.name === "URL" ? urlChars : (value, limit) => (typeof value === "string" ? stringChars(value, limit) : jsonChars(value));
  const chars: TextChars = (value, limit) => (value === null || value === undefined ? 0 : write(value, limit));
  if (!list) return chars;
  const items: TextChars = (value, limit = Infinity) => {
    if (!Array.isArray(value)) return chars(value, limit);
    let sum = 1;
    for (const item of value) if ((sum += 1 + (item === null ? 4 : items(item, limit - sum))) >= limit) break;
    return sum;
  };
  return items;
}
