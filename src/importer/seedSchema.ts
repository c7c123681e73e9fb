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
import { SLUG_PATTERN } from "../source/names";

const slug = z.string().regex(SLUG_PATTERN, "must be a slug: lower-case letters, digits and single hyphens");
const text = z.string().trim().min(1, "must not be empty");
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
// YAML turns 2020-01-03 into a Date; accept both that and ISO strings, and store UTC midnight.
const date = z.union([z.date(), z.iso.date(), z.iso.datetime()]).transform((v) => new Date(v));

const verdict = <T extends string>(values: readonly T[], neutral: readonly T[]) =>
  z
    .object({
      status: z.enum(values as [T, ...T[]]),
      rationale: text.optional(),
      evidenceUrls: z.array(httpUrl).default([]),
    })
    .strict()
    .refine((v) => neutral.includes(v.status) || (v.rationale && v.evidenceUrls.length > 0), {
      message: "a verdict other than the neutral one needs a rationale and at least one evidence URL",
    });

export const sourceSchema = z
  .object({
    slug,
    name: text,
    kind: z.enum(SourceKind),
    role: text.optional(),
    description: text.optional(),
    aliases: z.array(text).default([]),
    affiliation: slug.optional(),
    wikidataId: z.string().regex(/^Q[1-9][0-9]*$/, "must look like Q42").optional(),
  })
  .strict();

export const eventSchema = z
  .object({
    slug,
    title: text,
    description: text,
    kind: z.enum(EventKind),
    occurredAt: date,
    precision: z.enum(DatePrecision),
    location: text.optional(),
    referenceUrls: z.array(httpUrl).default([]),
    participants: z.array(z.object({ source: slug, role: text }).strict()).default([]),
  })
  .strict();

export const claimSchema = z
  .object({
    key: slug,
    source: slug,
    kind: z.enum(ClaimKind),
    channel: z.enum(ClaimChannel),
    text,
    quote: z.string().min(1).optional(),
    saidAt: date,
    saidAtPrecision: z.enum(DatePrecision),
    /** Shown to readers: how the claim was dated, attributed or worded where the article leaves it open. */
    note: text.optional(),
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
    urlNote: text.optional(),
    slug,
    title: text,
    publication: text,
    authors: z.array(text).min(1, "must name at least one author"),
    section: text.optional(),
    brand: text.optional(),
    topic: text.optional(),
    region: text.optional(),
    tags: z.array(text).default([]),
    publishedAt: date,
    /** File next to the article's YAML holding the body text (directory seeds). */
    body: z.string().min(1).optional(),
    /** The body inline (single-document seeds fetched from a URL). */
    bodyText: z.string().min(1).optional(),
    events: z
      .array(z.object({ event: slug, dateAsWritten: text.optional(), discrepancy: text.optional() }).strict())
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
