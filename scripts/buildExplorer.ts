/** `npm run build` step: bundles the offline explorer into dist/explorer (see src/http/explorerBundle.ts). */
import { EXPLORER_DIR, buildExplorer } from "../src/http/explorerBundle";

buildExplorer().then(
  () => console.log(`explorer bundle written to ${EXPLORER_DIR}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
