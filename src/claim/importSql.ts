import { Prisma, type Claim } from "../generated/prisma/client";
import { CLAIMS } from "./sql";

// The seed import's claim writes: set-based statements of one shape whatever the number of rows.

/** A new claim as the seed import creates it: every column but those the database or editors set. */
export type NewClaim = Omit<Claim, "statusOrigin" | "attributionOrigin" | "retiredAt" | "createdAt" | "updatedAt">;

/** Each column a seed import inserts, with its SQL name and type (a new column must be listed). */
export const NEW_CLAIM_COLUMNS: { readonly [K in keyof NewClaim]-?: readonly [column: string, type: string] } = {
  id: ["id", "uuid"],
  key: ["key", "text"],
  origin: ["origin", `"ClaimOrigin"`],
  articleId: ["article_id", "uuid"],
  sourceId: ["source_id", "uuid"],
  text: ["text", "text"],
  kind: ["kind", `"ClaimKind"`],
  channel: ["channel", `"ClaimChannel"`],
  saidAt: ["said_at", "timestamp"],
  saidAtPrecision: ["said_at_precision", `"DatePrecision"`],
  quoteStart: ["quote_start", "int"],
  quoteEnd: ["quote_end", "int"],
  quoteExact: ["quote_exact", "text"],
  quotePrefix: ["quote_prefix", "text"],
  quoteSuffix: ["quote_suffix", "text"],
  anchoring: ["anchoring", `"AnchoringState"`],
  anchorScore: ["anchor_score", "float8"],
  note: ["note", "text"],
  status: ["status", `"VerificationStatus"`],
  attribution: ["attribution", `"AttributionStatus"`],
};
const NEW_CLAIM_FIELDS = Object.keys(NEW_CLAIM_COLUMNS) as (keyof NewClaim)[];
const NEW_CLAIM_NAMES = Prisma.raw(NEW_CLAIM_FIELDS.map((f) => NEW_CLAIM_COLUMNS[f][0]).join(", "));
const NEW_CLAIM_CASTS = Prisma.raw(NEW_CLAIM_FIELDS.map((f) => NEW_CLAIM_COLUMNS[f].join("::")).join(", "));

// Timestamps as UTC text: a driver would send a Date in the process's local time.
export const asText = (value: unknown) => (value == null ? null : value instanceof Date ? value.toISOString() : String(value));

/**
 * Inserts claims from one text array per column (unnest), cast in SQL: one statement of one shape
 * however many rows. Prisma's createMany spent most of a 100k-claim import in its query compiler
 * and peaked at 2.7 GB (bench/README.md).
 */
export function insertClaimsSql(rows: readonly NewClaim[]): Prisma.Sql {
  const arrays = NEW_CLAIM_FIELDS.map((field) => Prisma.sql`${rows.map((row) => asText(row[field]))}::text[]`);
  return Prisma.sql`
    INSERT INTO claim (${NEW_CLAIM_NAMES}, created_at, updated_at)
    SELECT ${NEW_CLAIM_CASTS}, now(), now()
    FROM unnest(${Prisma.join(arrays)}) AS t(${NEW_CLAIM_NAMES})`;
}

/**
 * The claims a seed import of an article may change (its seed claims, and any claim with one of the
 * seed's keys), with their event links; read unlocked (the import locks what it changes at its end).
 */
export function seedClaimsSql({ articleId, keys }: { articleId: string; keys: string[] }): Prisma.Sql {
  return Prisma.sql`
    SELECT ${CLAIMS.row},
           COALESCE((SELECT json_agg(json_build_object('eventId', ce.event_id, 'linkType', ce.link_type))
                     FROM claim_event ce WHERE ce.claim_id = c.id), '[]') AS links
    FROM claim c
    WHERE (c.article_id = ${articleId}::uuid AND c.origin = 'SEED') OR c.key = ANY(${keys}::text[])
    ORDER BY c.id`;
}

/** Claim-event links, inserted the same way. */
export function insertClaimEventsSql(rows: readonly { claimId: string; eventId: string; linkType: string }[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO claim_event (claim_id, event_id, link_type)
    SELECT claim_id, event_id, link_type::"ClaimEventLinkType"
    FROM unnest(${rows.map((r) => r.claimId)}::uuid[], ${rows.map((r) => r.eventId)}::uuid[], ${rows.map((r) => r.linkType)}::text[])
      AS t(claim_id, event_id, link_type)`;
}
