/**
 * compromise's `bulkMatch` (the post-tagger's sweep of its ~570 match rules over each comma-separated
 * piece of a sentence) with the same result, cheaper. compromise 14 picks the rules a piece may match by
 * walking every one of the net's ~730 hook words for every piece (`Object.keys(hooks).forEach(…has…)`),
 * about a fifth of its tagging on a long body; this walks the piece's own cache (tens of words and tags)
 * and sorts the hits into the same order, then filters and runs the rules exactly as compromise 14.17
 * does (src/1-one/sweep/methods/sweep/), each tried only where its first word can start (./sweepStarts).
 * Installed as a plugin: `methods.one.bulkMatch` is the hook compromise calls from `View.sweep`.
 */
import { matchPiece, type Match, type SweepRule } from "./sweepStarts";

interface Rule extends SweepRule {
  match: string;
  needs: string[];
  wants: string[];
  minWant: number;
  minWords: number;
  ifNo?: string[];
  unTag?: unknown;
}
interface Net {
  hooks: Record<string, Rule[]>;
  always: Rule[];
}
type Methods = { one: { cacheDoc(document: unknown[][]): Set<string>[]; match(docs: unknown[][], rule: Rule): { ptrs: number[][] } } };

/**
 * A rule's cache tests with its words and tags as numbers (see Index), in compromise's order (duplicates
 * kept: a want listed twice counts twice, as compromise counts it).
 */
interface Tests {
  rule: Rule;
  /** Number of the rule's match text (compromise keeps the first rule of a given text). */
  text: number;
  needs: Int32Array;
  ifNo: Int32Array | null;
  wants: Int32Array;
  minWant: number;
  minWords: number;
}

/**
 * A net's hook words in compromise's order (`Object.keys`), each hook's rules with their tests, built once
 * per net. Every word or tag a rule tests has a number (`ids`); a piece marks the numbers of the words and
 * tags it has with its `stamp` in `have`, so a test is an array read instead of a string lookup in the
 * piece's set, and `seen` marks the match texts met on the piece the same way.
 */
interface Index {
  ids: Map<string, number>;
  /** For each number, its hook's place in compromise's order, or -1 when it is no hook. */
  rank: Int32Array;
  hooks: Tests[][];
  have: Uint32Array;
  seen: Uint32Array;
  stamp: number;
}
const indexes = new WeakMap<Net, Index>();

function indexOf(net: Net): Index {
  let index = indexes.get(net);
  if (!index) {
    const keys = Object.keys(net.hooks);
    const ids = new Map<string, number>(keys.map((key, i) => [key, i]));
    const numbers = (words: string[]) => Int32Array.from(words, (word) => ids.get(word) ?? ids.set(word, ids.size).get(word)!);
    const texts = new Map<string, number>();
    const tests = new Map<Rule, Tests>();
    const hooks = keys.map((key) =>
      net.hooks[key].map((rule) => {
        let t = tests.get(rule);
        if (!t) {
          if (!texts.has(rule.match)) texts.set(rule.match, texts.size);
          const ifNo = rule.ifNo === undefined ? null : numbers(rule.ifNo);
          t = { rule, text: texts.get(rule.match)!, needs: numbers(rule.needs), ifNo, wants: numbers(rule.wants), minWant: rule.minWant, minWords: rule.minWords };
          tests.set(rule, t);
        }
        return t;
      }),
    );
    const rank = new Int32Array(ids.size).fill(-1);
    keys.forEach((_, i) => (rank[i] = i));
    index = { ids, rank, hooks, have: new Uint32Array(ids.size), seen: new Uint32Array(texts.size), stamp: 0 };
    indexes.set(net, index);
  }
  return index;
}

/** compromise's cache tests of one rule on the piece marked with `stamp`. */
function passes(t: Tests, have: Uint32Array, stamp: number, words: number): boolean {
  if (words < t.minWords) return false;
  for (let i = 0; i < t.needs.length; i++) if (have[t.needs[i]] !== stamp) return false;
  if (t.ifNo !== null) for (let i = 0; i < t.ifNo.length; i++) if (have[t.ifNo[i]] === stamp) return false;
  if (t.wants.length === 0) return true;
  let n = 0;
  for (let i = 0; i < t.wants.length && n < t.minWant; i++) if (have[t.wants[i]] === stamp) n++;
  return n >= t.minWant;
}

/** The rules worth trying on one piece (its cache `cache`), in the order compromise tries them. */
function candidates(net: Net, index: Index, cache: Set<string>, words: number): Rule[] {
  const stamp = ++index.stamp;
  const hit: number[] = [];
  for (const key of cache) {
    const id = index.ids.get(key);
    if (id === undefined) continue;
    index.have[id] = stamp;
    if (index.rank[id] >= 0) hit.push(index.rank[id]);
  }
  hit.sort((a, b) => a - b);
  const rules: Rule[] = [];
  for (const r of hit) {
    for (const t of index.hooks[r]) {
      // The first rule of a given match text wins, whether it passes or not.
      if (index.seen[t.text] === stamp) continue;
      index.seen[t.text] = stamp;
      if (passes(t, index.have, stamp, words)) rules.push(t.rule);
    }
  }
  for (const rule of net.always) if (words >= rule.minWords) rules.push(rule);
  return rules;
}

function bulkMatch(document: unknown[][], net: Net, methods: Methods, opts: { matchOne?: boolean } = {}) {
  const cache = methods.one.cacheDoc(document);
  const index = indexOf(net);
  const results: (Rule & { pointer: unknown[] })[] = [];
  for (let n = 0; n < document.length; n++) {
    for (const rule of candidates(net, index, cache[n], document[n].length)) {
      const ptrs = matchPiece(document[n] as Parameters<typeof matchPiece>[0], rule, methods.one.match as unknown as Match);
      if (ptrs.length === 0) continue;
      for (const ptr of ptrs) {
        ptr[0] = n;
        const todo = Object.assign({}, rule, { pointer: ptr });
        if (rule.unTag !== undefined) todo.unTag = rule.unTag;
        results.push(todo);
      }
      if (opts.matchOne === true) return [results[0]];
    }
  }
  return results;
}

export const fasterSweep = { methods: { one: { bulkMatch } } };
