// `npm start`'s build step: runs `npm run build` (an incremental tsc, then the explorer bundle) only
// when an input changed since the last build, so a restart with nothing changed starts at once and a
// changed source always rebuilds. "Changed" means a newer modification time than the build's state
// file, for any file or directory (a deleted file changes its directory's time) under src/ or
// explorer/, or the TypeScript configs and the lockfile; tsc's incremental build then decides by content.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stamp = path.join(root, "dist", "build.tsbuildinfo"); // tsconfig.build.json's tsBuildInfoFile
const inputs = ["src", "explorer", "tsconfig.json", "tsconfig.build.json", "package-lock.json"].map((p) => path.join(root, p));

function newest(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(file)) latest = Math.max(latest, newest(path.join(file, entry)));
  return latest;
}

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (inputs.some((input) => newest(input) >= built)) {
  const started = new Date();
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) {
    // tsc may have written its state before a later step failed: the next start must build again.
    if (statSync(stamp, { throwIfNoEntry: false })) utimesSync(stamp, 0, 0);
    process.exit(build.status ?? 1);
  }
  // tsc leaves its state file alone when nothing it reads changed (a file saved unchanged): date it
  // to when this build started, so that file does not rebuild again, and one edited meanwhile does.
  utimesSync(stamp, started, started);
}
