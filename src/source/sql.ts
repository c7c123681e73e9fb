import { Prisma, type Source } from "../generated/prisma/client";
import { Table } from "../db/columns";

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

/** The sources an actor string names by slug or alias (`key` normalized): two index lookups. */
export function actorMatchesSql(key: string): Prisma.Sql {
  return Prisma.sql`SELECT id FROM source WHERE slug = ${key.replace(/\s+/g, "-")}
    UNION SELECT source_id FROM source_alias WHERE normalized = ${key}`;
}
