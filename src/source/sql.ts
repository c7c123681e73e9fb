import type { Source } from "../generated/prisma/client";
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
