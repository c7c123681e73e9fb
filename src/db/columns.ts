import { Prisma } from "../generated/prisma/client";

/**
 * Every field of a Prisma model as a SQL expression (enums cast to text), so hand-written SQL
 * returns rows shaped exactly like Prisma's. Typed per model: a new column that is not mapped here
 * fails the type check, and test/rowSql.test.ts compares the rows with Prisma's own.
 */
export type FieldSql<T> = { readonly [K in keyof T & string]: string };

/**
 * A list column as Prisma reads it: Prisma creates list columns nullable, and reads NULL (a row
 * written without the field) as an empty list.
 */
export function listColumn(column: string): string {
  return `COALESCE(${column}, '{}')`;
}

/** `expression AS "prefix + field"` for each named field. */
export function selectList<T>(fields: FieldSql<T>, names: readonly (keyof T & string)[], prefix = ""): string[] {
  return names.map((name) => `${fields[name]} AS "${prefix}${name}"`);
}

/** The conditions joined by AND (TRUE when there are none). */
export function and(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;
}

/** A table read by hand-written SQL: its name, the alias its field expressions use, its fields. */
export class Table<T> {
  /** The SELECT list of a whole row. */
  readonly row: Prisma.Sql;
  /** `table alias`, for FROM. */
  readonly from: Prisma.Sql;

  constructor(name: string, alias: string, readonly fields: FieldSql<T>) {
    this.row = Prisma.raw(selectList(fields, Object.keys(fields) as (keyof T & string)[]).join(", "));
    this.from = Prisma.raw(`${name} ${alias}`);
  }

  /** Whole rows, with `rest` after the FROM (joins, WHERE, ORDER BY, LIMIT). */
  select(rest: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`SELECT ${this.row} FROM ${this.from} ${rest}`;
  }

  /** Whole rows whose id is one of `ids`. */
  byIds(this: Table<T & { id: string }>, ids: readonly string[]): Prisma.Sql {
    return this.select(Prisma.sql`WHERE ${Prisma.raw(this.fields.id)} = ANY(${ids}::uuid[])`);
  }

  /** The number of rows matching the conditions, as `n`. */
  count(conditions: Prisma.Sql[]): Prisma.Sql {
    return Prisma.sql`SELECT count(*)::int AS n FROM ${this.from} WHERE ${and(conditions)}`;
  }
}

/** A field computed from its whole row (for a claim's claimReview, with the whole source and article joined to it). */
export const WHOLE_ROW = "whole row";

type Reads<Row> = readonly (keyof Row & string)[] | typeof WHOLE_ROW;

/**
 * Each GraphQL field of a type → the columns of its row it reads, keyed by the type's generated
 * resolvers (`satisfies FieldColumns<ClaimResolvers, Claim>`): a field left out, or one the schema
 * no longer has, fails the type check. Fields resolved by loaders list the key they load by.
 */
export type FieldColumns<R, Row> = { readonly [F in Exclude<keyof R, "__isTypeOf">]-?: Reads<Row> };

type ReadColumn<M> = Extract<M[keyof M], readonly unknown[]>[number];

/**
 * The columns no field reads, each with why it is not exposed; naming a column some field reads
 * fails the type check, and so does leaving out one that none does.
 */
export type NotExposed<Row, M> = { readonly [C in keyof Row & string]?: C extends ReadColumn<M> ? never : string } & {
  readonly [C in Exclude<keyof Row & string, ReadColumn<M>>]: string;
};

/**
 * A type's field → columns map over the table it reads. `notExposed` accounts for the columns no
 * field reads; it is there for the type check and for the reader.
 */
export class FieldMap<Row extends { id: string }, M extends Record<string, Reads<Row>>> {
  constructor(
    private readonly table: Table<Row>,
    readonly fields: M,
    readonly notExposed: NotExposed<Row, M>,
  ) {}

  /** Every field of the type. */
  get names(): string[] {
    return Object.keys(this.fields);
  }

  /** The columns the selected fields read, each once; names that are no field (`__typename`) read none. */
  columns(selection: Iterable<string>): (keyof Row & string)[] {
    const reads = [...selection].flatMap((field) => {
      const columns = this.fields[field];
      return Array.isArray(columns) ? (columns as readonly (keyof Row & string)[]) : [];
    });
    return [...new Set(reads)];
  }

  /** `expression AS "prefix + column"` for each column. */
  select(columns: readonly (keyof Row & string)[], prefix = ""): string[] {
    return selectList(this.table.fields, columns, prefix);
  }

  /** Whether a selected field reads the whole row. */
  readsWholeRow(selection: Iterable<string>): boolean {
    return [...selection].some((field) => this.fields[field] === WHOLE_ROW);
  }
}
