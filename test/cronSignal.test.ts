import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { createLogger } from "../src/logger";
import { PROJECT_ROOT } from "../src/paths";

// Issue 22, finding 14: SIGTERM to `npm run seed -- --cron` left the scheduler running (npm exited;
// `tsx` had spawned a second node, which was re-parented and kept writing import_run rows).

const linux = process.platform === "linux" ? describe : describe.skip;

/** Every live process below `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent pid is the 2nd field after it.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  for (let frontier = [pid]; frontier.length; ) {
    frontier = frontier.flatMap((p) => children.get(p) ?? []);
    out.push(...frontier);
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z "); // a zombie has stopped
  } catch {
    return false;
  }
};

async function importRuns(dataDir: string): Promise<number> {
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PGLITE_DATA_DIR: dataDir });
  const db = await openDatabase(config, createLogger("silent"));
  try {
    return await db.prisma.importRun.count();
  } finally {
    await db.close();
  }
}

linux("npm run seed -- --cron stops on SIGTERM sent to npm", () => {
  test("the whole process tree is gone and no import_run row is added afterwards", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "claimgraph-cron-npm-"));
    const npm = spawn("npm", ["run", "seed", "--", "--cron", "*/2 * * * * *"], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", PGLITE_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout.on("data", (d) => (output += d));
    npm.stderr.on("data", (d) => (output += d));
    const exited = new Promise((resolve) => npm.on("exit", resolve));
    let tree: number[] = [];
    try {
      // Two refreshes: the scheduler is running and has written.
      for (let i = 0; i < 600 && (output.match(/wrote \d+ row/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(output.match(/wrote \d+ row/g)?.length).toBeGreaterThanOrEqual(2);
      tree = descendants(npm.pid!);
      expect(tree.length).toBeGreaterThan(0);
      npm.kill("SIGTERM");
      await exited;
      for (let i = 0; i < 300 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
      expect(tree.filter(alive)).toEqual([]);
      const runs = await importRuns(dataDir);
      await new Promise((r) => setTimeout(r, 3_000)); // a tick is due every 2 s
      expect(await importRuns(dataDir)).toBe(runs);
    } finally {
      for (const pid of [npm.pid!, ...tree]) if (alive(pid)) process.kill(pid, "SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
