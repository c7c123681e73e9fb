import { Prisma } from "../generated/prisma/client";
import { decodeCursor, pageSize, toConnection, type Connection, type CursorValue } from "./paging";
import { and, type Table } from "./columns";
import type { SqlReader } from "./database";

/** What a sort column holds, as its cursor carries it (checked by decodeCursor) and as SQL compares it. */
type KeyKind = "text" | "uuid" | "timestamp";

const CURSOR_PARAMETER: Record<KeyKind, (value: string) => Prisma.Sql> = {
  text: (value) => Prisma.sql`${value}::text`,
  uuid: (value) => Prisma.sql`${value}::uuid`,
  timestamp: (value) => Prisma.sql`${new Date(value)}::timestamp`,
};

/** What a page of a list reads: conditions on the table (no cursor), the page size, the cursor. */
export interface PageRequest {
  where: Prisma.Sql[];
  first?: number | null;
  after?: string | null;
}

/**
 * A list of a table's rows sorted by some of its columns, all in one direction, with keyset
 * cursors: "after the cursor" is one row comparison, `(k1, k2) > (v1, v2)`, which selects the same
 * rows as (k1 beyond) OR (k1 = AND k2 beyond) and which an index on those columns seeks to. The
 * cursor is the sort columns' values of the last row, timestamps as ISO strings.
 */
export class Keyset<T> {
  private readonly columns: Prisma.Sql;
  private readonly orderBy: Prisma.Sql;
  private readonly beyond: Prisma.Sql;

  constructor(
    private readonly table: Table<T>,
    private readonly keys: readonly (readonly [keyof T & string, KeyKind])[],
    direction: "ASC" | "DESC",
  ) {
    const columns = keys.map(([field]) => table.fields[field]);
    this.columns = Prisma.raw(columns.join(", "));
    this.orderBy = Prisma.raw(columns.map((column) => `${column} ${direction}`).join(", "));
    this.beyond = Prisma.raw(direction === "ASC" ? ">" : "<");
  }

  /** The cursor values of a row. */
  readonly cursorOf = (row: T): CursorValue[] =>
    this.keys.map(([field, kind]) => (kind === "timestamp" ? (row[field] as Date).toISOString() : (row[field] as string)));

  /** A page of the rows matching `where`, after the cursor; the total (of `where`, not the page) counted only when asked for. */
  async page(read: SqlReader, { where, first, after }: PageRequest): Promise<Connection<T>> {
    const size = pageSize(first);
    const conditions = after ? [...where, this.after(after)] : where;
    const rows = await read<T>(this.table.select(Prisma.sql`WHERE ${and(conditions)} ORDER BY ${this.orderBy} LIMIT ${size + 1}`));
    const count = async () => (await read<{ n: number }>(this.table.count(where)))[0].n;
    return toConnection(rows, size, this.cursorOf, count, Boolean(after));
  }

  private after(cursor: string): Prisma.Sql {
    const values = decodeCursor(cursor, this.keys.map(([, kind]) => kind));
    const parameters = values.map((value, i) => CURSOR_PARAMETER[this.keys[i][1]](value));
    return Prisma.sql`(${this.columns}) ${this.beyond} (${Prisma.join(parameters)})`;
  }
}
