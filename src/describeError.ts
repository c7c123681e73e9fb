/**
 * A readable reason for anything thrown: PGlite and undici can reject with things that are not Errors
 * (an exit status, a string) or with an empty message. Never "undefined".
 */
export function describeError(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  if (typeof err === "string" && err) return err;
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === "number") return `PGlite exited with status ${status}`;
  try {
    const json = JSON.stringify(err);
    if (json && json !== "{}") return json;
  } catch {
    // fall through
  }
  return `${Object.prototype.toString.call(err)} with no message`;
}
