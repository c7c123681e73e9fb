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
  // Each test file boots its own server and databases; PGlite start-up dominates.
  testTimeout: 120_000,
  maxWorkers: 2,
};
