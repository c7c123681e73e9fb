/**
 * The LIKE pattern for a user's text anywhere in a value (Prisma's `contains`), the text taken
 * literally: `contains` passes `%` and `_` through as wildcards, so "Bri%Hook" would match "Brian
 * Hook". Backslash is PostgreSQL's default LIKE escape.
 */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
