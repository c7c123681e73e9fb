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

/** A table read by hand-written SQL: its name, the alias its field expressions use, its fields. */
export class Table<T extends { id: string }> {
  /** The SELECT list of a whole row. */
  readonly row: Prisma.Sql;
  /** `table alias`, for FROM. */
  readonly from: Prisma.Sql;
  private readonly id: Prisma.Sql;

  constructor(name: string, alias: string, readonly fields: FieldSql<T>) {
    this.row = Prisma.raw(selectList(fields, Object.keys(fields) as (keyof T & string)[]).join(", "));
    this.from = Prisma.raw(`${name} ${alias}`);
    this.id = Prisma.raw(fields.id);
  }

  /** Whole rows whose id is one of `ids`. */
  byIds(ids: readonly string[]): Prisma.Sql {
    return Prisma.sql`SELECT ${this.row} FROM ${this.from} WHERE ${this.id} = ANY(${ids}::uuid[])`;
  }
}
