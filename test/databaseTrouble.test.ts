import { databaseTrouble, mayBeDown } from "../src/db/errors";

// How database failures are told apart (src/db/errors.ts), on the errors the drivers really throw. A CI run on a loaded
// machine (2026-12-07) had test/poolOverload.test.ts answer DATABASE_UNAVAILABLE for a burst on a healthy PostgreSQL:
// a pool connection that took longer than DB_CONNECT_TIMEOUT_MS to open is the documented 503 OVERLOADED.
test.each([
  ["every database connection is busy and the queue for one is full", "OVERLOADED"],
  ["timeout exceeded when trying to connect", "OVERLOADED"],
  ["Connection terminated due to connection timeout", "OVERLOADED"],
  ["Connection terminated unexpectedly", "DATABASE_UNAVAILABLE"],
  ["connect ECONNREFUSED 127.0.0.1:5432", "DATABASE_UNAVAILABLE"],
  ["syntax error at or near \"FROM\"", null],
])("%j is %s", (message, trouble) => {
  expect(databaseTrouble(new Error(message))).toBe(trouble);
  // Prisma's driver adapter wraps the driver's error.
  expect(databaseTrouble({ message: "Invalid invocation", meta: { driverAdapterError: { cause: new Error(message) } } })).toBe(trouble);
});

// Read routing still treats a server whose new connection timed out as possibly down (a host gone silent times out
// rather than refuses): a fresh standby answers for such a primary, and such a standby is left alone for a while.
test.each([
  ["Connection terminated due to connection timeout", true],
  ["connect ECONNREFUSED 127.0.0.1:5432", true],
  ["every database connection is busy and the queue for one is full", false],
  ["timeout exceeded when trying to connect", false],
])("%j: the server may be down is %s", (message, down) => {
  expect(mayBeDown(new Error(message))).toBe(down);
});
