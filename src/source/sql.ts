import { Prisma, type Source } from "../generated/prisma/client";
import type { SourceFilter, SourceResolvers } from "../generated/graphql";
import { FieldMap, Table, type FieldColumns } from "../db/columns";
import { Keyset } from "../db/keyset";
import { containing } from "../db/like";
import { normalizeName } from "./names";

export const SOURCES = new Table<Source>("source", "s", {
  id: "s.id",
  slug: "s.slug",
  name: "s.name",
  kind: "s.kind::text",
  role: "s.role",
  description: "s.description",
  wikidataId: "s.wikidata_id",
  affiliationId: "s.affiliation_id",
  createdAt: "s.created_at",
  updatedAt: "s.updated_at",
});

/** What each Source field reads, for the sources joined into claim lists (src/claim/sql.ts). */
export const SOURCE_FIELDS = new FieldMap(
  SOURCES,
  {
    id: ["id"],
    slug: ["slug"],
    name: ["name"],
    kind: ["kind"],
    role: ["role"],
    description: ["description"],
    wikidataId: ["wikidataId"],
    affiliation: ["affiliationId"],
    aliases: ["id"],
    members: ["id"],
    claims: ["id"],
    createdAt: ["createdAt"],
    updatedAt: ["updatedAt"],
  } as const satisfies FieldColumns<SourceResolvers, Source>,
  {},
);

/** The source directory: by name (source_name_idx), ties by id. */
export const BY_NAME = new Keyset(SOURCES, [["name", "text"], ["id", "uuid"]], "ASC");

/** The directory's conditions for a filter (`affiliationId` a database id). */
export function sourceFilterSql(filter: SourceFilter | null | undefined): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filter?.search) {
    // Slugs and alias keys are stored normalized (lower-cased), so the normalized text matches them as is.
    const key = normalizeName(filter.search);
    where.push(Prisma.sql`(s.name ILIKE ${containing(filter.search.trim())} OR s.slug LIKE ${containing(key.replace(/\s+/g, "-"))}
      OR EXISTS (SELECT 1 FROM source_alias sa WHERE sa.source_id = s.id AND sa.normalized LIKE ${containing(key)}))`);
  }
  // Arrays bound as one parameter: one prepared statement per query shape, whatever the length.
  if (filter?.kind) where.push(Prisma.sql`s.kind = ANY(${filter.kind}::text[]::"SourceKind"[])`);
  if (filter?.affiliationId) where.push(Prisma.sql`s.affiliation_id = ${filter.affiliationId}::uuid`);
  return where;
}

/** The sources an actor string names by slug or alias (`key` normalized): two index lookups. */
export function actorMatchesSql(key: string): Prisma.Sql {
  return Prisma.sql`SELECT id FROM source WHERE slug = ${key.replace(/\s+/g, "-")}
    UNION SELECT source_id FROM source_alias WHERE normalized = ${key}`;
}

/**
 * Serialises every change of an affiliation (held to the end of the transaction), so two updates
 * that each look fine alone (X→Y while Y→X) cannot together close a cycle.
 */
export const lockAffiliationsSql = Prisma.sql`SELECT pg_advisory_xact_lock(hashtext('claimgraph.source.affiliation'))::text AS locked`;

/**
 * The chain of affiliations up from `start` (itself first), stopping at `member`: when `member` is in
 * it, affiliating `member` with `start` would close a cycle. A chain that already loops (written
 * outside the API) stops at its first repeat.
 */
export function affiliationChainSql(start: string, member: string): Prisma.Sql {
  return Prisma.sql`WITH RECURSIVE up(id, slug, affiliation_id, depth, seen) AS (
      SELECT id, slug, affiliation_id, 1, ARRAY[id] FROM source WHERE id = ${start}::uuid
      UNION ALL
      SELECT s.id, s.slug, s.affiliation_id, up.depth + 1, up.seen || s.id
      FROM up JOIN source s ON s.id = up.affiliation_id
      WHERE up.id <> ${member}::uuid AND s.id <> ALL(up.seen)
    )
    SELECT id, slug FROM up ORDER BY depth`;
}
