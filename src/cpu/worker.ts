import { threadId } from "node:worker_threads";
import { reanchorAll, type QuoteSelector } from "../article/anchoring";
import { extractProposals } from "../proposal/extract";
import type { CatalogueSource } from "../proposal/speakers";

/**
 * The CPU-heavy work the pool (./pool.ts) runs in worker threads, off the event loop. Each export
 * is a task, named by its export name; inputs and results cross the thread boundary by structured
 * clone, so they are plain data.
 */

/** Claim proposals of one body (src/proposal/extraction.ts memoises them). */
export function extract(input: { body: string; sources: CatalogueSource[] }) {
  return extractProposals(input.body, input.sources);
}

/** New positions of an article's quotes in its corrected body, within the matching budget. */
export function reanchor(input: { body: string; selectors: QuoteSelector[] }) {
  return reanchorAll(input.body, input.selectors);
}

/** The worker's thread id: lets a test see that the work leaves the main thread. */
export function whereAmI(): number {
  return threadId;
}
