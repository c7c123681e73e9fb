import type { AddressInfo } from "node:net";
import { StartupError, openReadyDatabase, runMain } from "./bootstrap";
import { closeCpuPool } from "./cpu/pool";
import { createApp } from "./http/app";
import { runImport } from "./importer/importer";
import { loadSeed } from "./importer/loadSeed";
import { attachLive } from "./http/live";
import { createServices } from "./app/services";
import { DEFAULT_SEED_DIR } from "./paths";

runMain(async (config, log) => {
  const db = await openReadyDatabase(config, log);
  if (db.kind === "pglite" && (await db.prisma.article.count()) === 0) {
    // A newcomer's first start: fill the empty embedded database so the API has something to show.
    const result = await runImport(db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
    log.info({ created: result.created }, "loaded the seed into the empty embedded database");
  }
  if (config.BOOTSTRAP_ADMIN_KEY) {
    const key = await createServices(db).apiKeys.ensure(config.BOOTSTRAP_ADMIN_KEY, "bootstrap", "ADMIN");
    if (key.revokedAt) log.warn({ keyId: key.id }, "BOOTSTRAP_ADMIN_KEY names a revoked key; unset it");
    else log.info({ keyId: key.id, prefix: key.prefix }, "bootstrap admin key ready (BOOTSTRAP_ADMIN_KEY)");
  }
  const { server, apollo } = await createApp(config, db, log);
  const live = await attachLive(server, db, config, log);
  server.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject)).catch((err) => {
    throw new StartupError(`cannot listen on ${config.HOST}:${config.PORT}: ${(err as Error).message}`);
  });
  const { port } = server.address() as AddressInfo;
  log.info({ port, database: db.kind }, `claimgraph ready at http://localhost:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: no new connections, finishing in-flight requests");
    const forced = setTimeout(() => {
      log.warn("grace period over: closing remaining connections");
      server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_MS);
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    // WebSockets are not the HTTP server's connections: close them, or server.close never completes.
    await live.close();
    await closed;
    clearTimeout(forced);
    await apollo.stop();
    await closeCpuPool();
    await db.close();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
});
