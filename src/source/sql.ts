import { Prisma, type Source } from "../generated/prisma/client";
import { wholeRow, type FieldSql } from "../db/columns";

/** Source's fields over `source s`. */
export const SOURCE_FIELDS: FieldSql<Source> = {
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
};

const SOURCE_ROW = wholeRow(SOURCE_FIELDS);

export function sourcesByIdSql(ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT ${SOURCE_ROW} FROM source s WHERE s.id = ANY(${ids}::uuid[])`;
}
