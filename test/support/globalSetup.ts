// jest globalSetup: builds this run's template databases once (see ./templates.ts); the workers
// inherit the environment variables set here.
import { pgliteImage, postgresTemplate, templateDigest, templateEnv, type TemplateKind } from "./templates";

const KINDS: TemplateKind[] = ["migrated", "seeded"];

export default async function globalSetup(): Promise<void> {
  const digest = templateDigest();
  // The PostgreSQL server works while this process fills PGlite: build them side by side.
  await Promise.all([
    ...KINDS.map(async (kind) => (process.env[templateEnv("PGLITE", kind)] = await pgliteImage(kind, digest))),
    ...(process.env.TEST_DATABASE_URL ? KINDS : []).map(async (kind) => (process.env[templateEnv("POSTGRES", kind)] = await postgresTemplate(kind, digest))),
  ]);
}
