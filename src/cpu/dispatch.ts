import { threadId } from "node:worker_threads";
import { workerData } from "piscina";

/**
 * The worker threads' entry (src/cpu/pool.ts): runs the named export of a module with the given
 * arguments. Tasks are plain functions of their domain (the extractor, the quote matcher), loaded
 * in the worker by their resolved path; arguments and results cross the thread boundary by
 * structured clone, so they are plain data.
 */
export function dispatch({ file, name, args, started }: { file: string; name: string; args: unknown[]; started?: Int32Array }): unknown {
  const module = require(file) as Record<string, (...args: unknown[]) => unknown>;
  // Shared with the pool (pool.ts): the task left the queue and runs.
  if (started) Atomics.store(started, 0, 1);
  return module[name]!(...args);
}

/** The warm-up tasks this worker finished (`warmedUp` tells a test or an operator which ran). */
const warm: string[] = [];

// The pool's warm-up tasks (pool.ts warmWorkersWith), run as the worker loads: piscina hands it no
// task before. One that fails leaves a cold worker, not a broken one.
for (const task of (workerData as { warmUps?: { file: string; name: string }[] } | undefined)?.warmUps ?? []) {
  try {
    dispatch({ ...task, args: [] });
    warm.push(task.name);
  } catch {
    // A cold worker still works.
  }
}

export function warmedUp(): string[] {
  return warm;
}

/** The worker's thread id: lets a test see that the work leaves the main thread. */
export function whereAmI(): number {
  return threadId;
}
