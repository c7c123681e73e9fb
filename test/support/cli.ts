import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { PROJECT_ROOT } from "../../src/paths";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnedCli {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Resolves with the first match of `pattern` in the output so far or to come; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Runs one of the project's TypeScript entry points (src/...) as a real child process. */
export function spawnCli(script: string, args: string[], env: Record<string, string>): SpawnedCli {
  return spawnNode(["--import", "tsx", path.join(PROJECT_ROOT, script), ...args], env);
}

/**
 * Runs a compiled entry point (dist/..., from `npm run build`) as deployed: what memory is measured
 * on, since tsx's transpiler adds its own to the process.
 */
export function spawnBuilt(script: string, args: string[], env: Record<string, string>): SpawnedCli {
  return spawnNode([path.join(PROJECT_ROOT, script), ...args], env);
}

function spawnNode(argv: string[], env: Record<string, string>): SpawnedCli {
  const child = spawn(process.execPath, argv, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = (stdout + stderr).match(pattern);
        if (!match) return false;
        child.stdout!.off("data", check);
        child.stderr!.off("data", check);
        resolve(match);
        return true;
      };
      if (check()) return;
      child.stdout!.on("data", check);
      child.stderr!.on("data", check);
      void done.then((result) => reject(new Error(`exited (${result.code ?? result.signal}) before printing ${pattern}:\n${result.stdout}${result.stderr}`)));
    });
  return { child, done, waitFor };
}

export function runCli(script: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return spawnCli(script, args, env).done;
}


/** A TCP port free right now (the kernel's pick), for a child server whose log level hides its ready line. */
export function freePort(): Promise<string> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(String(port)));
    });
  });
}

/** Waits until the child's /ready answers 200, however long start-up takes; fails as soon as the child exits. */
export async function waitForReady(app: SpawnedCli, base: string): Promise<void> {
  let exited: CliResult | undefined;
  void app.done.then((result) => (exited = result));
  while (!(await fetch(`${base}/ready`).then((r) => r.ok, () => false))) {
    if (exited) throw new Error(`exited (${exited.code ?? exited.signal}) before it was ready:\n${exited.stdout}${exited.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A process's resident memory in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))!;
  return Number(line.replace(/\D+/g, "")) / 1024;
}
