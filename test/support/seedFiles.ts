import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { DEFAULT_SEED_DIR } from "../../src/paths";

export const ARTICLE_FILE = "articles/soleimani-strike-push.yaml";

/** A scratch copy of the project's seed set that a test may edit. */
export function copySeed(): { dir: string; edit(file: string, change: (doc: any) => void): void; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "claimgraph-seed-"));
  cpSync(DEFAULT_SEED_DIR, dir, { recursive: true });
  return {
    dir,
    edit(file, change) {
      const full = path.join(dir, file);
      const doc = yaml.load(readFileSync(full, "utf8")) as any;
      change(doc);
      writeFileSync(full, yaml.dump(doc));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
