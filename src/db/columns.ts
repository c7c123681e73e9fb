import { Prisma } from "../generated/prisma/client";

/**
 * Every field of a Prisma model as a SQL expression (enums cast to text), so hand-written SQL
 * returns rows shaped exactly like Prisma's. Typed per model: a new column that is not mapped here
 * fails the type check, and test/rowSql.test.ts compares the rows with Prisma's own.
 */
export type FieldSql<T> = { readonly [K in keyof T & string]: string };

/** `expression AS "prefix + field"` for each named field. */
export function selectList<T>(fields: FieldSql<T>, names: readonly (keyof T & string)[], prefix = ""): string[] {
  return names.map((name) => `${fields[name]} AS "${prefix}${name}"`);
}

/** The SELECT list of a whole row. */
export function wholeRow<T>(fields: FieldSql<T>): Prisma.Sql {
  return Prisma.raw(selectList(fields, Object.keys(fields) as (keyof T & string)[]).join(", "));
}
