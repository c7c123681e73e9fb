import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_SEED_DIR } from "../paths";
import { extractProposals } from "./extract";

/** Times the sample is repeated: a body of some 33,000 characters, long enough for V8 to optimise the tagger's loops. */
const REPEAT = 4;

/**
 * Runs the extractor once over the seed's article, repeated, in a worker thread as it starts (the
 * CPU pool's warm-up, src/cpu/pool.ts): a fresh thread spent about as much CPU compiling compromise
 * and the extractor as extracting (a 60,000-character body ~1.6 s cold, ~0.9 s after this, under
 * load; bench/README.md). Without the seed's files it does nothing and the worker starts cold.
 */
export function warmUpExtraction(): void {
  const dir = path.join(DEFAULT_SEED_DIR, "articles");
  const file = readdirSync(dir).find((name) => name.endsWith(".txt"));
  if (!file) return;
  const sample = readFileSync(path.join(dir, file), "utf8");
  extractProposals(Array.from({ length: REPEAT }, () => sample).join("\n\n"), []);
}
