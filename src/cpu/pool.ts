import path from "node:path";
import { Piscina } from "piscina";
import { GraphQLError } from "graphql";
import { overloaded } from "../graphql/admission";
import { sheddableRequest } from "../db/pool";
import { DEFAULT_CPU_POOL, type CpuPoolOptions } from "./options";

/**
 * A function the pool can run in a worker: an export of a module, named by the module's resolved
 * path (`require.resolve` from its caller, so the same in tsx, jest and compiled code) and the
 * export's name; `F` is its type, so the call site stays type-checked.
 */
export interface CpuTask<F extends (...args: never[]) => unknown> {
  file: string;
  name: string;
  /** Never set: carries F. */
  readonly signature?: F;
}

export function cpuTask<F extends (...args: never[]) => unknown>(file: string, name: string): CpuTask<F> {
  return { file, name };
}

/*
 * The worker entry, whichever way the code runs: compiled (node on dist/) it is dispatch.js beside
 * this file; from source (tsx in development, jest with @swc/jest in tests) it is sourceWorker.cjs,
 * which gives the thread a TypeScript loader and loads dispatch.ts.
 */
const WORKER_FILE = path.join(__dirname, __filename.endsWith(".ts") ? "sourceWorker.cjs" : "dispatch.js");

const RETRY_AFTER_SECONDS = 2;

/** Tasks every worker runs once as it starts (warmWorkersWith). */
const warmUps: CpuTask<() => void>[] = [];

/**
 * Has every worker run `task` once as it starts, before it takes a request's task: V8 compiles a
 * fresh thread's hot code as it first runs it (for the extractor, on its helper threads, as much CPU
 * again as the work itself), and a domain whose first task would pay that can pay it off the
 * request's clock. Registered when a domain's module loads, before the pool starts.
 */
export function warmWorkersWith(task: CpuTask<() => void>) {
  warmUps.push(task);
}

/** A task that ran out of its budget (time or memory): the answer names the limit, not a bug. */
export function workBudgetExceeded(task: string, options: CpuPoolOptions): GraphQLError {
  return new GraphQLError(`the ${task} work exceeded its budget (${options.taskMs} ms, ${options.heapMb} MiB) and was stopped`, {
    extensions: { code: "WORK_BUDGET_EXCEEDED" },
  });
}

/**
 * The reason a request's signal carries when the request ran out of time (REQUEST_TIMEOUT_MS): a
 * task cut by it had more work than a request can wait for, so it ends as over its budget (and the
 * extractor remembers that for the body) rather than as a cancellation to run again on the next
 * request — 60,000-character bodies taking 15–30 s were re-run by every anonymous request.
 */
export class RequestOutOfTime extends Error {
  constructor(ms: number) {
    super(`the request took longer than ${ms} ms`);
    this.name = "RequestOutOfTime";
  }
}

/**
 * A bounded pool of worker threads (piscina) for CPU-heavy work. Tasks sent for a request count
 * against `threads + queue` (a quarter of the queue kept from sheddable requests); when that is full
 * the request is refused at once (503 OVERLOADED, Retry-After) rather than queued without bound. A task stops when its signal aborts (the request
 * timed out or its client left): queued, it is dropped; running, its worker is terminated.
 */
export class CpuPool {
  private readonly piscina: Piscina;
  /** Tasks submitted and not settled, all callers included. */
  pending = 0;
  /** Tasks stopped (their request's signal or their budget) while they waited for a thread, and while they ran. */
  readonly stopped = { waiting: 0, running: 0 };

  constructor(readonly options: CpuPoolOptions) {
    this.piscina = new Piscina({
      filename: WORKER_FILE,
      minThreads: 0,
      maxThreads: options.threads,
      // Compromise and its lexicon take a moment to load in a fresh worker: keep idle ones a while.
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
      workerData: { warmUps: [...warmUps] },
    });
  }

  /**
   * Runs one task. `shed` (the default) refuses it when the pool is full; internal callers (the
   * seed importer) pass false and wait their turn.
   */
  async run<F extends (...args: never[]) => unknown>(
    task: CpuTask<F>,
    args: Parameters<F>,
    { signal, shed = true }: { signal?: AbortSignal; shed?: boolean } = {},
  ): Promise<Awaited<ReturnType<F>>> {
    signal?.throwIfAborted();
    // Requests shed under load (anonymous, VIEWER: see sheddableRequest) leave the last places to the
    // rest: readers asking for proposals of articles nobody had viewed filled the pool, and a desk's
    // correction or its own proposals got 503 behind them.
    const reserved = sheddableRequest.getStore() ? Math.ceil(this.options.queue / 4) : 0;
    if (shed && this.pending >= this.options.threads + this.options.queue - reserved) {
      throw overloaded(`the server is at capacity (CPU work queued); retry after ${RETRY_AFTER_SECONDS} s`, RETRY_AFTER_SECONDS);
    }
    this.pending++;
    const budget = AbortSignal.timeout(this.options.taskMs);
    // Set by the worker as the task starts: a task stopped while it still waited for a thread (behind
    // other work, or a worker's warm-up) says nothing about its own cost, and must not be remembered
    // as over budget — the body would be refused for ten minutes without ever having run.
    const started = new Int32Array(new SharedArrayBuffer(4));
    try {
      const input = { file: task.file, name: task.name, args, started };
      return await this.piscina.run(input, { name: "dispatch", signal: signal ? AbortSignal.any([signal, budget]) : budget });
    } catch (err) {
      const outOfMemory = (err as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
      if (signal?.aborted || budget.aborted) this.stopped[Atomics.load(started, 0) === 1 ? "running" : "waiting"]++;
      const outOfTime = (budget.aborted && !signal?.aborted) || signal?.reason instanceof RequestOutOfTime;
      if (outOfMemory || (outOfTime && Atomics.load(started, 0) === 1)) throw workBudgetExceeded(task.name, this.options);
      if (budget.aborted && !signal?.aborted) throw overloaded(`the server is at capacity (CPU work waited ${this.options.taskMs} ms for a thread); retry after ${RETRY_AFTER_SECONDS} s`, RETRY_AFTER_SECONDS);
      throw err;
    } finally {
      this.pending--;
    }
  }

  /** The id of the thread a task runs on (tests: it is not the main thread's). */
  threadId(): Promise<number> {
    return this.piscina.run(undefined, { name: "whereAmI" });
  }

  /** The warm-up tasks the worker a task lands on had finished before taking it. */
  warmedUp(): Promise<string[]> {
    return this.piscina.run(undefined, { name: "warmedUp" });
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }
}

let options = DEFAULT_CPU_POOL;
let shared: CpuPool | null = null;

/** Sets the pool's options (the server does, from its configuration); a running pool with other options is replaced. */
export function configureCpuPool(next: CpuPoolOptions) {
  if (JSON.stringify(next) === JSON.stringify(options)) return;
  options = next;
  void closeCpuPool();
}

/** The process's pool, started on first use: API requests and the seed importer share it. */
export function cpuPool(): CpuPool {
  return (shared ??= new CpuPool(options));
}

export async function closeCpuPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
