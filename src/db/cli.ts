import { runMain } from "../bootstrap";
import { directConfig } from "../config";
import { openDatabase } from "./database";
import { applyMigrations } from "./migrations";

// `npm run db:migrate`: applies committed migrations to DATABASE_DIRECT_URL or DATABASE_URL (or the embedded database),
// recorded exactly as `prisma migrate deploy` records them.
runMain(async (config, log) => {
  const db = await openDatabase(directConfig(config), log);
  try {
    const applied = await db.withSession((session) => applyMigrations(session));
    console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "no pending migrations: the schema is up to date");
  } finally {
    await db.close();
  }
});
