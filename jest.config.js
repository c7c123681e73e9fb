// The whole suite runs off UTC (workers inherit this), so a timestamp read as local time fails a test.
process.env.TZ = "Asia/Kolkata";

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Fault injection and load live in their own run: `npm run test:resilience`.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/resilience/"],
  transform: { "^.+\\.(ts|js)$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }] },
  // approx-string-match ships only ES modules; Jest's CommonJS runtime needs them compiled.
  transformIgnorePatterns: ["/node_modules/(?!approx-string-match/)"],
  // One migrated and one migrated+seeded database per run (embedded and PostgreSQL); each test
  // file's server starts from a copy (test/support/templates.ts).
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  globalTeardown: "<rootDir>/test/support/globalTeardown.ts",
  // Each test file boots its own server; PGlite start-up dominates.
  testTimeout: 120_000,
  maxWorkers: 2,
};
