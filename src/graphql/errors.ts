import type { UserErrorCode } from "../generated/graphql";

export interface UserError {
  field: string[] | null;
  message: string;
  code: UserErrorCode;
}

export function userError(code: UserErrorCode, message: string, field?: string[]): UserError {
  return { code, message, field: field ?? null };
}

/**
 * Thrown inside a service to abort a mutation with user errors; resolvers turn it into a payload.
 * `current` fills other payload fields, e.g. the claim's current state on a CONFLICT.
 */
export class UserErrors extends Error {
  constructor(
    readonly errors: UserError[],
    readonly current?: object,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }
}

/** Runs a mutation body; user errors become `{ userErrors }`, anything else propagates as a real error. */
export async function payload<T extends object>(run: () => Promise<T>): Promise<T & { userErrors: UserError[] }> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (err) {
    if (err instanceof UserErrors) return { ...err.current, userErrors: err.errors } as T & { userErrors: UserError[] };
    throw err;
  }
}

/** Validates mutation input with a zod schema; every problem becomes a user error on its input path. */
export function parseInput<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UserErrors(
    parsed.error.issues.map((i) => userError("INVALID", `${i.path.join(".")} ${i.message}`, ["input", ...i.path.map(String)])),
  );
}
