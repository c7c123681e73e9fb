import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { GraphQLError } from "graphql";
import { cpuPool, cpuTask, warmWorkersWith } from "../cpu/pool";
import { SharedTasks } from "../cpu/sharedTasks";
import type { RawProposal, extractProposals } from "./extract";
import type { warmUpExtraction } from "./warmUp";
import type { CatalogueSource } from "./speakers";

/**
 * The extractor's results, memoised per body and source catalogue: they depend on nothing else
 * (dismissals and the claims that cover a proposal are filtered afterwards, per request). A miss
 * runs the extractor in the CPU pool; concurrent requests for the same body wait on that one run.
 */

/** Bytes of memoised proposals (UTF-16 text of their JSON, keys included) kept at most. */
export const MEMO_BYTES = 16 * 1024 * 1024;
/** How long a body whose extraction exceeded its budget is answered from memory without re-running it. */
const OVER_BUDGET_TTL_MS = 10 * 60_000;

const memo = new LRUCache<string, RawProposal[]>({
  maxSize: MEMO_BYTES,
  sizeCalculation: (proposals, key) => 2 * (key.length + JSON.stringify(proposals).length),
});
/** Bodies the extractor could not finish within its budget: refused at once for a while, not re-run. */
const overBudget = new LRUCache<string, GraphQLError>({ max: 1_000, ttl: OVER_BUDGET_TTL_MS });
const running = new SharedTasks<RawProposal[]>();
const extractTask = cpuTask<typeof extractProposals>(require.resolve("./extract"), "extractProposals");
warmWorkersWith(cpuTask<typeof warmUpExtraction>(require.resolve("./warmUp"), "warmUpExtraction"));

/** Counters for tests and operators: extractor runs started, answered from the memo, joined to a run in flight, cancelled. */
export const extractionStats = { runs: 0, memoHits: 0, joined: 0, cancelled: 0 };

const digest = (text: string) => createHash("sha256").update(text).digest("base64url");

/** Each catalogue's digest, once per catalogue read (one read serves every article of a request). */
const catalogueDigests = new WeakMap<CatalogueSource[], string>();

export function extractMemoised(body: string, sources: CatalogueSource[], signal?: AbortSignal): Promise<RawProposal[]> {
  let catalogue = catalogueDigests.get(sources);
  if (!catalogue) catalogueDigests.set(sources, (catalogue = digest(JSON.stringify(sources))));
  const key = `${digest(body)}.${catalogue}`;
  const known = memo.get(key);
  if (known) {
    extractionStats.memoHits++;
    return Promise.resolve(known);
  }
  const refused = overBudget.get(key);
  if (refused) return Promise.reject(refused);
  if (running.has(key)) extractionStats.joined++;
  return running.run(
    key,
    async (runSignal) => {
      extractionStats.runs++;
      runSignal.addEventListener("abort", () => extractionStats.cancelled++, { once: true });
      try {
        const proposals = await cpuPool().run(extractTask, [body, sources], { signal: runSignal });
        memo.set(key, proposals);
        return proposals;
      } catch (err) {
        if (err instanceof GraphQLError && err.extensions.code === "WORK_BUDGET_EXCEEDED") overBudget.set(key, err);
        throw err;
      }
    },
    signal,
  );
}
