// jest globalTeardown: drops the PostgreSQL templates globalSetup made for this run (the PGlite
// images stay cached under node_modules/.cache for the next run with the same digest).
import { dropPostgresTemplate, templateEnv, type TemplateKind } from "./templates";

export default async function globalTeardown(): Promise<void> {
  for (const kind of ["migrated", "seeded"] as TemplateKind[]) {
    const name = process.env[templateEnv("POSTGRES", kind)];
    if (name) await dropPostgresTemplate(name);
  }
}
