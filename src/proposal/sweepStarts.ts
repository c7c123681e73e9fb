/**
 * One post-tagger rule over one comma-separated piece, as compromise 14.17's `runMatch`
 * (src/1-one/match/methods/match/index.js) does it, but tried only where the rule's first word can
 * start. compromise tries every rule at every term of the piece (about 400,000 tries on a 60,000-character
 * body, under a tenth of them past the first word); when the first token is a plain word, tag or
 * (a|b) list, a term it does not match cannot start a match, so those tries are skipped, and so are
 * those where a plain token after it does not match the term in its place (see `prefix`). Each remaining
 * start is run by compromise's own matcher, anchored there (`^`, which it tries at the first term only)
 * on the piece from that term on: the same tries, the same skip past a match, the same filters (`$`,
 * `notIf`, the rule's group) in the same order, so the same pointers.
 */
interface Reg {
  word?: string;
  tag?: string;
  fastOr?: Set<string>;
  pos?: string;
  use?: string;
  start?: boolean;
  end?: boolean;
  optional?: boolean;
  negative?: boolean;
  greedy?: boolean;
  anything?: boolean;
  fuzzy?: boolean;
  choices?: unknown;
  id?: unknown;
}
export interface SweepRule {
  regs: Reg[];
  group?: string | number;
  notIf?: unknown;
  justOne?: boolean;
}
interface Term {
  id: unknown;
  text: string;
  normal: string;
  machine?: string | null;
  alias?: string[];
  root?: string;
  implicit?: string;
  tags: Set<string>;
}
type Pointer = [number, number, number, unknown?, unknown?];
export type Match = (docs: Term[][], rule: SweepRule) => { ptrs: Pointer[]; byGroup: Record<string, Pointer[]> };

/** The rule anchored at its first term (and without its group or notIf, applied per start), or null when the first token is not plain. */
interface Anchored {
  first: Reg;
  /**
   * The rule's leading plain tokens (the first included): each matches exactly one term, the one after the
   * previous token's, unless that term and the next are parts of a contraction ("we've"), which compromise
   * may step over together.
   */
  prefix: Reg[];
  bare: SweepRule;
  filtered: SweepRule | null;
  minLength: number;
  toEnd: boolean;
}
const anchoredRules = new WeakMap<SweepRule, Anchored | null>();

function anchored(rule: SweepRule): Anchored | null {
  let found = anchoredRules.get(rule);
  if (found === undefined) {
    const [first, ...rest] = rule.regs ?? [];
    found = null;
    if (plain(first) && !rule.regs.some((reg) => reg.start) && rule.justOne !== true) {
      const other = rule.regs.findIndex((reg) => !plain(reg));
      const regs = [{ ...first, start: true }, ...rest];
      found = {
        first,
        prefix: other < 0 ? rule.regs : rule.regs.slice(0, other),
        bare: { regs },
        filtered: rule.notIf === undefined ? null : { regs, notIf: rule.notIf },
        minLength: rule.regs.filter((r) => r.optional !== true && r.negative !== true).length,
        toEnd: rule.regs.at(-1)!.end === true,
      };
    }
    anchoredRules.set(rule, found);
  }
  return found;
}

/** A word, tag or (a|b) token that must match exactly one term. */
function plain(reg: Reg | undefined): reg is Reg {
  return (
    reg !== undefined &&
    (reg.word !== undefined || reg.tag !== undefined || reg.fastOr !== undefined) &&
    !(reg.optional || reg.negative || reg.greedy || reg.anything || reg.fuzzy || reg.start || reg.end || reg.choices !== undefined || reg.id !== undefined)
  );
}

/** compromise's term test (doesMatch) for a plain token. */
function starts(term: Term, reg: Reg): boolean {
  if (reg.word !== undefined) {
    if (reg.use) return reg.word === (term as unknown as Record<string, unknown>)[reg.use];
    if (term.machine != null && term.machine === reg.word) return true;
    if (term.alias && term.alias.some((alias) => alias === reg.word)) return true;
    return reg.word === term.text || reg.word === term.normal;
  }
  if (reg.tag !== undefined) return term.tags.has(reg.tag);
  if (reg.pos && !term.tags.has(reg.pos)) return false;
  return reg.fastOr!.has(term.root || term.implicit || term.machine || term.normal) || reg.fastOr!.has(term.text);
}

/** Whether the terms after `terms[i]` match the prefix's later tokens, up to a contraction's parts. */
function prefixFits(terms: Term[], i: number, prefix: Reg[]): boolean {
  for (let k = 1; k < prefix.length; k++) {
    const [previous, term] = [terms[i + k - 1], terms[i + k]];
    if (previous.implicit && term?.implicit) return true;
    if (term === undefined || !starts(term, prefix[k])) return false;
  }
  return true;
}

/** The rule's pointers in the piece, as `match([terms], rule)` returns them. */
export function matchPiece(terms: Term[], rule: SweepRule, match: Match): Pointer[] {
  const a = anchored(rule);
  if (a === null) return match([terms], rule).ptrs;
  const ptrs: Pointer[] = [];
  for (let i = 0; terms.length - i >= a.minLength; i++) {
    if (!starts(terms[i], a.first) || !prefixFits(terms, i, a.prefix)) continue;
    const piece = terms.slice(i);
    const raw = match([piece], a.bare);
    if (raw.ptrs.length === 0) continue;
    const end = raw.ptrs[0][2];
    const kept = (!a.toEnd || end === piece.length) && (a.filtered === null || match([piece], a.filtered).ptrs.length > 0);
    const at = i;
    if (Math.abs(end - 1) > 0) i += Math.abs(end - 1);
    if (!kept) continue;
    const ptr = rule.group === undefined ? raw.ptrs[0] : raw.byGroup[String(rule.group)]?.[0];
    if (ptr === undefined) continue;
    ptrs.push([0, at + ptr[1], at + ptr[2], terms[at + ptr[1]].id, terms[at + ptr[2] - 1].id]);
  }
  return ptrs;
}
