/** A required relation that is missing means broken data, not a client error: fail loudly (masked to clients). */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new Error(`integrity error: referenced ${what} is missing`);
  return value;
}
