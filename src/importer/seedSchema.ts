import { z } from "zod";
import {
  AttributionStatus,
  ClaimChannel,
  ClaimEventLinkType,
  ClaimKind,
  DatePrecision,
  EventKind,
  SourceKind,
  VerificationStatus,
} from "../generated/prisma/enums";
import {
  aliases,
  articleBody,
  articleTitle,
  authors,
  claimText,
  date,
  evidenceUrls,
  eventDescription,
  eventTitle,
  httpUrl,
  label,
  location,
  MAX_SEED_BODY_CHARS,
  note,
  publication,
  quote,
  rationale,
  referenceUrls,
  role,
  slug,
  sourceDescription,
  sourceName,
  tags,
  urlNote,
  wikidataId,
} from "../validation/fields";

const verdict = <T extends string>(values: readonly T[], neutral: readonly T[]) =>
  z
    .object({
      status: z.enum(values as [T, ...T[]]),
      rationale: rationale.optional(),
      evidenceUrls: evidenceUrls.default([]),
    })
    .strict()
    .refine((v) => neutral.includes(v.status) || (v.rationale && v.evidenceUrls.length > 0), {
      message: "a verdict other than the neutral one needs a rationale and at least one evidence URL",
    });

export const sourceSchema = z
  .object({
    slug,
    name: sourceName,
    kind: z.enum(SourceKind),
    role: role.optional(),
    description: sourceDescription.optional(),
    aliases: aliases.default([]),
    affiliation: slug.optional(),
    wikidataId: wikidataId.optional(),
  })
  .strict();

export const eventSchema = z
  .object({
    slug,
    title: eventTitle,
    description: eventDescription,
    kind: z.enum(EventKind),
    occurredAt: date,
    precision: z.enum(DatePrecision),
    location: location.optional(),
    referenceUrls: referenceUrls.default([]),
    participants: z.array(z.object({ source: slug, role }).strict()).default([]),
  })
  .strict();

/** A claim's own columns: stored as the seed gives them (claim.columns), compared on every refresh. */
const claimColumns = {
  kind: z.enum(ClaimKind),
  channel: z.enum(ClaimChannel),
  text: claimText,
  saidAt: date,
  saidAtPrecision: z.enum(DatePrecision),
  /** Shown to readers: how the claim was dated, attributed or worded where the article leaves it open. */
  note: note.nullable().default(null),
};

export const claimSchema = z
  .object({
    key: slug,
    source: slug,
    ...claimColumns,
    quote: quote.optional(),
    events: z.array(z.object({ event: slug, link: z.enum(ClaimEventLinkType) }).strict()).default([]),
    verdict: verdict(Object.values(VerificationStatus), ["UNVERIFIED", "IN_REVIEW"]).optional(),
    attributionVerdict: verdict(Object.values(AttributionStatus), ["UNCHECKED"]).optional(),
  })
  .strict();

export const articleSchema = z
  .object({
    url: httpUrl,
    /** Only a URL checked to be the article's own address is cited in ClaimReview output. */
    urlVerified: z.boolean().default(false),
    urlNote: urlNote.optional(),
    slug,
    title: articleTitle,
    publication,
    authors,
    section: label.optional(),
    brand: label.optional(),
    topic: label.optional(),
    region: label.optional(),
    tags: tags.default([]),
    publishedAt: date,
    /** File next to the article's YAML holding the body text (directory seeds). */
    body: z.string().regex(/^[\w.-]+$/, "must be a file name next to the article's YAML").optional(),
    /** The body inline (single-document seeds fetched from a URL). */
    bodyText: articleBody(MAX_SEED_BODY_CHARS).optional(),
    events: z
      .array(z.object({ event: slug, dateAsWritten: label.optional(), discrepancy: note.optional() }).strict())
      .default([]),
    claims: z.array(claimSchema).min(1, "must list at least one claim"),
  })
  .strict()
  .refine((a) => (a.body === undefined) !== (a.bodyText === undefined), {
    message: "give exactly one of body (a file name) and bodyText",
  });

export const sourcesFileSchema = z.object({ sources: z.array(sourceSchema) }).strict();
export const eventsFileSchema = z.object({ events: z.array(eventSchema) }).strict();
/** A whole seed set in one document, as served from a URL. */
export const bundleSchema = z
  .object({ sources: z.array(sourceSchema), events: z.array(eventSchema), articles: z.array(articleSchema) })
  .strict();

export type SeedSource = z.infer<typeof sourceSchema>;
export type SeedEvent = z.infer<typeof eventSchema>;
/** A validated claim, with where its quote was found in the article body (found once, at validation). */
export type SeedClaim = z.infer<typeof claimSchema> & { span: { start: number; end: number } };

/** The columns of claimColumns, read from a validated claim. */
export function seedClaimColumns(claim: SeedClaim): Pick<SeedClaim, keyof typeof claimColumns> {
  const { kind, channel, text, saidAt, saidAtPrecision, note } = claim;
  return { kind, channel, text, saidAt, saidAtPrecision, note };
}
export type SeedArticle = Omit<z.infer<typeof articleSchema>, "claims"> & { bodyText: string; claims: SeedClaim[] };

export interface SeedSet {
  /** Where it came from (a directory or URL), recorded on the import run. */
  origin: string;
  /** SHA-256 over every input file, to tell whether a seed changed. */
  checksum: string;
  sources: SeedSource[];
  events: SeedEvent[];
  articles: SeedArticle[];
}
