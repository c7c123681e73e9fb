import { badInput } from "../validation/badInput";

/**
 * Most exclusion marks (`-`) a search may hold with no letter or digit between them. PostgreSQL's
 * websearch_to_tsquery stacks one NOT per `-` until an operand comes, on a stack of 32 (an OR and
 * an AND may sit below), and fails past it with "tsquery stack too small" (XX000): 33 dashes were an
 * INTERNAL_SERVER_ERROR for claims and claimStats. Only a letter or digit can start an operand, so
 * counting dashes between them over-counts what PostgreSQL stacks and never under-counts; a person's
 * search holds one or two.
 */
export const MAX_EXCLUSION_RUN = 10;

/** The dashes of the longest run with no letter or digit between them; one pass over the (capped) search. */
function longestExclusionRun(search: string): number {
  let run = 0;
  let longest = 0;
  for (const ch of search) {
    if (ch === "-") longest = Math.max(longest, ++run);
    else if (/[\p{L}\p{N}]/u.test(ch)) run = 0;
  }
  return longest;
}

/**
 * A claim filter's search as websearch_to_tsquery will read it: trimmed, not empty, and without a run
 * of exclusions deeper than PostgreSQL parses. Undefined when the filter has no search.
 */
export function checkedSearch(search: string | null | undefined): string | undefined {
  if (search == null) return undefined;
  const trimmed = search.trim();
  if (!trimmed) throw badInput("search must not be empty", "filter.search");
  const run = longestExclusionRun(trimmed);
  if (run > MAX_EXCLUSION_RUN) {
    throw badInput(`search may hold at most ${MAX_EXCLUSION_RUN} exclusions (-) with no word between them, got ${run}`, "filter.search");
  }
  return trimmed;
}
