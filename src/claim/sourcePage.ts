import { Prisma, type Source } from "../generated/prisma/client";
import { selectList } from "../db/columns";
import { SOURCES } from "../source/sql";

// The source's columns carry this prefix beside its claims' (toClaimRows leaves `__` columns out).
const PREFIX = "__source_";
const SOURCE_NAMES = Object.keys(SOURCES.fields) as (keyof Source & string)[];
const SOURCE_COLUMNS = Prisma.raw(selectList(SOURCES.fields, SOURCE_NAMES, PREFIX).join(", "));

/**
 * A source with the first page of its claims (`page`: nestedPagesSql for this one source), in one
 * statement: an actor's page is one round trip instead of two. The page's rows in its own order
 * (newest first, re-stated: a join may reorder), the source's columns on each; one row with NULL
 * claim columns when the page is empty; no row when there is no such source.
 */
export function sourceWithClaimsSql(sourceId: string, page: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT ${SOURCE_COLUMNS}, x.* FROM ${SOURCES.from}
    LEFT JOIN LATERAL (${page}) x ON true
    WHERE s.id = ${sourceId}::uuid
    ORDER BY x."saidAt" DESC, x."id" DESC`;
}

/** The source of one of sourceWithClaimsSql's rows, shaped like the source loader's rows. */
export function sourceOf(row: Record<string, unknown>): Source {
  const source: Record<string, unknown> = {};
  for (const name of SOURCE_NAMES) source[name] = row[PREFIX + name];
  return source as unknown as Source;
}
