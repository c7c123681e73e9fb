import { availableParallelism } from "node:os";

/** The CPU pool's settings (WORKER_* in the configuration; src/cpu/pool.ts). */
export interface CpuPoolOptions {
  /** Worker threads running tasks at once. */
  threads: number;
  /** Tasks from requests that may wait for a thread; beyond it a request is refused with 503 OVERLOADED. */
  queue: number;
  /** Each worker's V8 heap cap, in MiB: a task that needs more fails instead of growing the process. */
  heapMb: number;
  /**
   * Wall-clock budget of one task, waiting for a thread included; past it the worker is terminated and
   * the task fails with WORK_BUDGET_EXCEEDED. A request's own timeout usually stops its task first:
   * this bounds tasks nobody times out (the seed importer) and marks a body too costly to extract.
   */
  taskMs: number;
}

/** One thread per core but the one the event loop needs; a queue of a few tasks per thread. */
export const DEFAULT_CPU_POOL: CpuPoolOptions = { threads: Math.max(1, availableParallelism() - 1), queue: 8, heapMb: 512, taskMs: 30_000 };
