import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI otherwise downloads a native schema engine on first use; this project ships a
// drop-in that runs Prisma's own WebAssembly build of the engine (see prisma/schema-engine.mjs).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, "prisma", "schema-engine.mjs");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    // Read directly rather than via env(): `prisma generate` must work with DATABASE_URL unset.
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/claimgraph",
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
