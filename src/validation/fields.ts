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

/**
 * A UTF-16 surrogate without its other half (half of an emoji cut off): PostgreSQL would store it as
 * U+FFFD, silently changing the text and orphaning any quote offset that pointed into it. Linear:
 * each alternative looks at one neighbouring code unit.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The message for a string holding a lone surrogate, naming it and where it is; null when there is none. */
export function loneSurrogate(value: string): string | null {
  const found = LONE_SURROGATE.exec(value);
  if (!found) return null;
  const unit = found[0].charCodeAt(0).toString(16).toUpperCase();
  return `must be well-formed Unicode: a lone UTF-16 surrogate U+${unit} at offset ${found.index} (half of a character cut off)`;
}

/**
 * A string that may be stored, at most `max` characters. The cap is checked first and aborts, so no
 * later check or transform (trim, …) ever runs on an oversize value.
 */
export const bounded = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters`, abort: true })
    .refine(noNul, NUL_MESSAGE)
    .superRefine((value, ctx) => {
      const problem = loneSurrogate(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

/** Longest string the seed stores anywhere: its article bodies (the API's own caps are lower). */
export const MAX_SEED_BODY_CHARS = 1_000_000;
/** Any string that will be stored as text, with the seed's outer cap. */
export const storedString = bounded(MAX_SEED_BODY_CHARS);
/**
 * True when every character is whitespace or default-ignorable (zero-width spaces and joiners, word
 * joiner, BOM, soft hyphen, bidi marks, variation selectors, …: nothing a reader sees). One linear pass
 * of a single character class, no copy.
 */
const NOT_BLANK = /[^\s\p{Default_Ignorable_Code_Point}]/u;
const isBlank = (value: string) => !NOT_BLANK.test(value);
/**
 * Text of at most `max` characters (counted as sent), trimmed, not blank: a value of only invisible
 * characters (a zero-width space, …) is as empty as one of spaces.
 */
const cappedText = (max: number) => bounded(max).trim().refine((value) => !isBlank(value), "must not be empty");

/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): in a name or
 * title shown on one line they reorder what readers see ("\u202Eevil" displays as "live"), so a
 * single-line field refuses them. Long texts (descriptions, quotes) may need them for mixed scripts.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** The message for a string holding a bidi control, naming it and where it is; null when there is none. */
export function bidiControl(value: string): string | null {
  const found = BIDI_CONTROL.exec(value);
  if (!found) return null;
  const unit = found[0].charCodeAt(0).toString(16).toUpperCase();
  return `must not contain bidirectional control characters: U+${unit} at offset ${found.index} (it reorders how the text displays)`;
}

/**
 * C0 control characters that are not whitespace (U+0001–U+0008, U+000E–U+001F; NUL has its own rule
 * in `bounded`, for every string) and DEL: invisible in a name, some (ESC) drive terminals, and JSON
 * writes most as six characters (`\u001b`), so 100 tags of them answered six times their length. Tabs and line breaks are whitespace: trimmed at the ends
 * and kept inside (a proposed speaker's role is text from the article, which may break a line).
 */
const CONTROL = /[\u0001-\u0008\u000E-\u001F\u007F]/;

/** The message for a string holding a control character, naming it and where it is; null when there is none. */
export function controlCharacter(value: string): string | null {
  const found = CONTROL.exec(value);
  if (!found) return null;
  const unit = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return `must not contain control characters: U+${unit} at offset ${found.index} (invisible, and some drive terminals)`;
}

/** A single-line name, title or label: capped text without bidi or control characters. */
const singleLine = (max: number) =>
  cappedText(max).superRefine((value, ctx) => {
    const problem = bidiControl(value) ?? controlCharacter(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
/**
 * An optional text field of the API: null, absent or blank (what a client clearing it sends) reads as
 * null. The seed, where a blank value is a mistake, marks its optional fields `.optional()` instead.
 * Blank is checked without trimming, so an oversize value reaches the rule's cap untouched.
 */
export const clearable = <T extends z.ZodType>(rule: T) =>
  z.preprocess((value) => (typeof value === "string" && isBlank(value) ? null : value), rule.nullish());
/** A list of at most `max` items. */
const cappedList = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `must hold at most ${max} items`);

export const slug = z
  .string()
  .max(MAX_SLUG, { message: `must be at most ${MAX_SLUG} characters`, abort: true })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a slug: lower-case letters, digits and single hyphens");
export const httpUrl = z
  .string()
  .max(MAX_URL, { message: `must be at most ${MAX_URL} characters`, abort: true })
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }));
export const wikidataId = z.string().max(13, { message: "must look like Q42", abort: true }).regex(/^Q[1-9][0-9]{0,11}$/, "must look like Q42");

/** Short seed-only labels (an article's section, brand, topic, region; a date as an article wrote it). */
export const label = singleLine(1000);

// Claims.
/** What was said, and the exact words a quote locates in the article (a quote is re-anchored on every correction). */
export const MAX_CLAIM_TEXT = 2_000;
export const claimText = cappedText(MAX_CLAIM_TEXT);
/** An API key's name. */
export const keyName = singleLine(200);
/** Why an editor dismissed a proposed claim. */
export const dismissReason = cappedText(2_000);
export const quote = bounded(MAX_CLAIM_TEXT).min(1, "must not be empty");
/** A note for readers (seed), and an event's date discrepancy as an article states it. */
export const note = cappedText(2_000);

// Sources.
export const sourceName = singleLine(200);
/** A source's role or title, and a participant's part in an event. */
export const role = singleLine(300);
export const sourceDescription = cappedText(5_000);
export const aliases = cappedList(singleLine(200), 50);

// Events.
export const eventTitle = singleLine(300);
export const eventDescription = cappedText(10_000);
export const location = singleLine(300);
export const referenceUrls = cappedList(httpUrl, 50);

// Verdicts.
/** The editor's internal reasoning, never published. */
export const rationale = cappedText(10_000);
/** What a published ClaimReview shows as its ratingExplanation: a short public summary of the verdict. */
export const publicExplanation = cappedText(2_000);
export const evidenceUrls = cappedList(httpUrl, 50);

// Articles.
export const articleTitle = singleLine(500);
export const publication = singleLine(200);
export const authors = cappedList(singleLine(200), 50).min(1, "must name at least one author");
export const tags = cappedList(singleLine(100), 100);
/** Where an article's URL comes from and why it is or is not trusted. */
export const urlNote = singleLine(1_000);

/**
 * Whether an instant falls in the years every date a client or the seed writes must be in (the API's
 * DateTime scalar, the feed's `since`, the seed), read in UTC as PostgreSQL stores it.
 */
export const inYearRange = (d: Date) => {
  const year = d.getUTCFullYear();
  return !Number.isNaN(year) && year >= MIN_YEAR && year <= MAX_YEAR;
};
export const YEAR_RANGE_MESSAGE = `must be a date in the years ${MIN_YEAR} to ${MAX_YEAR} (UTC)`;
/**
 * A calendar date or a UTC/offset timestamp, as an ISO 8601 string (a date alone is UTC midnight)
 * or a Date. Strings are parsed as written: `0099-06-15` is year 99 (and refused), never 1999.
 */
export const date = z
  .union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be a date (YYYY-MM-DD) or an ISO 8601 timestamp" })
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .refine(inYearRange, YEAR_RANGE_MESSAGE);

/**
 * An article body of at most `max` characters, from the API (MAX_BODY_CHARS in article/intake.ts,
 * which bounds a request's re-anchoring work) or the seed (MAX_SEED_BODY_CHARS, imported in batch).
 * Only trailing whitespace is dropped (offsets into the body must mean what the writer sent), after
 * the cap, in one linear pass; it must not be blank.
 */
export const articleBody = (max: number) =>
  bounded(max)
    .transform((b) => b.trimEnd())
    .refine((b) => b.length > 0, "must not be empty");
