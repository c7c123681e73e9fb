import { z } from "zod";
import { SLUG_PATTERN } from "../source/names";

/**
 * Field rules shared by every entry point that writes (the seed import now, the API's inputs next),
 * so anything one accepts the database accepts too: no input may surface as a driver error.
 */

/** Dates are kept within four-digit years: PostgreSQL and ISO 8601 agree there, and no claim is older. */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 9999;
/** B-tree index entries must stay far below PostgreSQL's ~2.7 kB limit (slugs, URLs, names are indexed). */
export const MAX_SLUG = 100;
export const MAX_URL = 2000;
export const MAX_LABEL = 1000;

/** PostgreSQL text cannot hold U+0000. */
const noNul = (s: string) => !s.includes("\0");
const NUL_MESSAGE = "must not contain NUL (\\0) characters";

/** Any string that will be stored as text. */
export const storedString = z.string().refine(noNul, NUL_MESSAGE);
/** Free text (descriptions, claim text, quotes): trimmed, not empty. */
export const text = z.string().trim().min(1, "must not be empty").refine(noNul, NUL_MESSAGE);
/** Short indexed text (names, titles, roles, aliases). */
export const label = text.pipe(z.string().max(MAX_LABEL, `must be at most ${MAX_LABEL} characters`));
export const slug = z
  .string()
  .max(MAX_SLUG, `must be at most ${MAX_SLUG} characters`)
  .regex(SLUG_PATTERN, "must be a slug: lower-case letters, digits and single hyphens");
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(MAX_URL, `must be at most ${MAX_URL} characters`);
export const wikidataId = z.string().regex(/^Q[1-9][0-9]{0,11}$/, "must look like Q42");

const inYearRange = (d: Date) => {
  const year = d.getUTCFullYear();
  return !Number.isNaN(year) && year >= MIN_YEAR && year <= MAX_YEAR;
};
/**
 * A calendar date or a UTC/offset timestamp, as an ISO 8601 string (a date alone is UTC midnight)
 * or a Date. Strings are parsed as written: `0099-06-15` is year 99 (and refused), never 1999.
 */
export const date = z
  .union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be a date (YYYY-MM-DD) or an ISO 8601 timestamp" })
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .refine(inYearRange, `must be a date in the years ${MIN_YEAR} to ${MAX_YEAR}`);
