import { threadId } from "node:worker_threads";

/**
 * The worker threads' entry (src/cpu/pool.ts): runs the named export of a module with the given
 * arguments. Tasks are plain functions of their domain (the extractor, the quote matcher), loaded
 * in the worker by their resolved path; arguments and results cross the thread boundary by
 * structured clone, so they are plain data.
 */
export function dispatch({ file, name, args }: { file: string; name: string; args: unknown[] }): unknown {
  const module = require(file) as Record<string, (...args: unknown[]) => unknown>;
  return module[name]!(...args);
}

/** The worker's thread id: lets a test see that the work leaves the main thread. */
export function whereAmI(): number {
  return threadId;
}
