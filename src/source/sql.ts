import { Prisma, type Source } from "../generated/prisma/client";
import type { SourceResolvers } from "../generated/graphql";
import { FieldMap, Table, type FieldColumns } from "../db/columns";

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

/** The sources an actor string names by slug or alias (`key` normalized): two index lookups. */
export function actorMatchesSql(key: string): Prisma.Sql {
  return Prisma.sql`SELECT id FROM source WHERE slug = ${key.replace(/\s+/g, "-")}
    UNION SELECT source_id FROM source_alias WHERE normalized = ${key}`;
}
