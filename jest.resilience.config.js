/** Fault-injection and load tests: slower, run one at a time (they restart PostgreSQL). */
const base = require("./jest.config.js");

module.exports = { ...base, roots: ["<rootDir>/test/resilience"], testPathIgnorePatterns: [], maxWorkers: 1, testTimeout: 300_000 };
