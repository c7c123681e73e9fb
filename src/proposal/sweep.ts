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
 * A net's hook words in compromise's order (`Object.keys`) and each one's place in it, each hook's rules
 * with a number for each distinct match text (compromise keeps the first rule of a given text), built
 * once per net; `seen` marks the texts met on the current piece (those marked with the piece's `stamp`).
 */
interface Index {
  rank: Map<string, number>;
  rules: Rule[][];
  texts: number[][];
  seen: Uint32Array;
  stamp: number;
}
const indexes = new WeakMap<Net, Index>();

function indexOf(net: Net): Index {
  let index = indexes.get(net);
  if (!index) {
    const keys = Object.keys(net.hooks);
    const numbers = new Map<string, number>();
    for (const rule of keys.flatMap((key) => net.hooks[key])) if (!numbers.has(rule.match)) numbers.set(rule.match, numbers.size);
    const rules = keys.map((key) => net.hooks[key]);
    const texts = rules.map((list) => list.map((rule) => numbers.get(rule.match)!));
    indexes.set(net, (index = { rank: new Map(keys.map((key, i) => [key, i])), rules, texts, seen: new Uint32Array(numbers.size), stamp: 0 }));
  }
  return index;
}

function countIn(have: Set<string>, words: string[]): number {
  let n = 0;
  for (const word of words) if (have.has(word)) n++;
  return n;
}

/** The rules worth trying on one piece, in the order compromise tries them. */
function candidates(net: Net, index: Index, have: Set<string>, words: number): Rule[] {
  const hit: number[] = [];
  for (const key of have) {
    const r = index.rank.get(key);
    if (r !== undefined) hit.push(r);
  }
  hit.sort((a, b) => a - b);
  // The first rule of a given match text wins.
  const stamp = ++index.stamp;
  const rules: Rule[] = [];
  for (const r of hit) {
    const [list, texts] = [index.rules[r], index.texts[r]];
    for (let k = 0; k < list.length; k++) {
      if (index.seen[texts[k]] === stamp) continue;
      index.seen[texts[k]] = stamp;
      const rule = list[k];
      if (words < rule.minWords || countIn(have, rule.needs) < rule.needs.length) continue;
      if (rule.ifNo !== undefined && countIn(have, rule.ifNo) > 0) continue;
      if (rule.wants.length > 0 && countIn(have, rule.wants) < rule.minWant) continue;
      rules.push(rule);
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
