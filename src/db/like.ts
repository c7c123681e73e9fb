/**
 * A user's text as a literal inside a LIKE pattern: Prisma's `contains` passes `%` and `_` through as
 * wildcards, so "Bri%Hook" would match "Brian Hook". Backslash is PostgreSQL's default LIKE escape.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
