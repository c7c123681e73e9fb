const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a value is a database id as PostgreSQL prints a uuid (lower-case): anything else is no row's id. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
