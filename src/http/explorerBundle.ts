import path from "node:path";
import { PROJECT_ROOT } from "../paths";

/** Where `npm run build` puts the explorer's bundle (app.js, app.css); the Docker image copies it. */
export const EXPLORER_DIR = path.join(PROJECT_ROOT, "dist", "explorer");
const ENTRY = path.join(PROJECT_ROOT, "explorer", "app.ts");

/**
 * Bundles the offline explorer (GraphiQL 4, its explorer plugin, React, graphql-ws) into one script
 * and one stylesheet with esbuild, so the browser loads nothing from anywhere but claimgraph. esbuild
 * and the explorer's packages are development dependencies: the bundle is built with the app, and a
 * production install without them serves the bundle it was built with.
 */
export async function buildExplorer(outdir = EXPLORER_DIR): Promise<void> {
  const { build } = await import("esbuild");
  await build({
    entryPoints: { app: ENTRY },
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    outdir,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
}
