import { z } from "zod";

/**
 * Field rules, one per kind of field, shared by every entry point that writes (the API's mutation
 * inputs and the seed import): both accept the same values, and anything either accepts the database
 * stores, so no input may surface as a driver error. A list's cap is the one its GraphQL input
 * documents ("At most N …"), which test/fieldRules.test.ts holds equal.
 */

/** Dates are kept within four-digit years: PostgreSQL and ISO 8601 agree there, and no claim is older. */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 9999;
/** B-tree index entries must stay far below PostgreSQL's ~2.7 kB limit (slugs, URLs, names are indexed). */
export const MAX_SLUG = 100;
export const MAX_URL = 2000;

/** PostgreSQL text cannot hold U+0000. */
const noNul = (s: string) => !s.includes("\0");
const NUL_MESSAGE = "must not contain NUL (\\0) characters";

/** Any string that will be stored as text. */
export const storedString = z.string().refine(noNul, NUL_MESSAGE);
/** Free text without a cap of its own (claim text, notes): trimmed, not empty. */
export const text = z.string().trim().min(1, "must not be empty").refine(noNul, NUL_MESSAGE);
/** Text of at most `max` characters once trimmed (a piped check, so an empty value gets one message). */
const cappedText = (max: number) => text.pipe(z.string().max(max, `must be at most ${max} characters`));
/**
 * An optional text field of the API: null, absent or blank (what a client clearing it sends) reads as
 * null. The seed, where a blank value is a mistake, marks its optional fields `.optional()` instead.
 */
export const clearable = <T extends z.ZodType>(rule: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : value), rule.nullish());
/** A list of at most `max` items. */
const cappedList = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `must hold at most ${max} items`);

export const slug = z
  .string()
  .max(MAX_SLUG, `must be at most ${MAX_SLUG} characters`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a slug: lower-case letters, digits and single hyphens");
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(MAX_URL, `must be at most ${MAX_URL} characters`);
export const wikidataId = z.string().regex(/^Q[1-9][0-9]{0,11}$/, "must look like Q42");

/** Short seed-only labels (an article's section, brand, topic, region; a date as an article wrote it). */
export const label = cappedText(1000);

// Sources.
export const sourceName = cappedText(200);
/** A source's role or title, and a participant's part in an event. */
export const role = cappedText(300);
export const sourceDescription = cappedText(5_000);
export const aliases = cappedList(cappedText(200), 50);

// Events.
export const eventTitle = cappedText(300);
export const eventDescription = cappedText(10_000);
export const location = cappedText(300);
export const referenceUrls = cappedList(httpUrl, 50);

// Verdicts.
/** The editor's internal reasoning, never published. */
export const rationale = cappedText(10_000);
/** What a published ClaimReview shows as its ratingExplanation: a short public summary of the verdict. */
export const publicExplanation = cappedText(2_000);
export const evidenceUrls = cappedList(httpUrl, 50);

// Articles.
export const articleTitle = cappedText(500);
export const publication = cappedText(200);
export const authors = cappedList(cappedText(200), 50).min(1, "must name at least one author");
export const tags = cappedList(cappedText(100), 100);
/** Where an article's URL comes from and why it is or is not trusted. */
export const urlNote = cappedText(1_000);

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

/**
 * An article body, from the API or the seed: only trailing whitespace is dropped (offsets into the
 * body must mean what the writer sent), and it must not be blank. Its length cap is the API's alone
 * (MAX_BODY_CHARS in article/intake.ts, which bounds a request's re-anchoring work); a seed article,
 * imported in batch, may be longer.
 */
export const articleBody = storedString
  .transform((b) => b.replace(/\s+$/, ""))
  .refine((b) => b.trim().length > 0, "must not be empty");
