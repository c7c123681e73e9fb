import { calibrate } from "./confidence";
import type { Found } from "./extract";
import { lowerBound } from "./text";

/** Overlapping proposals (an indirect clause around a mixed quote): the more confident one stays. */
export function dedupe(proposals: Found[]): Found[] {
  // Kept in order of start, so a proposal is compared with the ones it can overlap only: those starting before its end
  // and after its start less the longest span kept (all of them, for every proposal, was quadratic in a long body's).
  const kept: Found[] = [];
  let longest = 0;
  // (Scored once each: the model runs over every feature, and a sort compares each proposal many times.)
  const scores = new Map(proposals.map((p) => [p, calibrate(p.evidence)]));
  const score = (p: Found) => scores.get(p)!;
  for (const p of [...proposals].sort((a, b) => score(b) - score(a) || a.start - b.start)) {
    const at = lowerBound(kept, (k) => k.start >= p.start);
    let clash = false;
    for (let i = at - 1; i >= 0 && !clash && kept[i].start >= p.start - longest; i--) clash = overlaps(kept[i], p);
    for (let i = at; i < kept.length && !clash && kept[i].start < p.end; i++) clash = overlaps(kept[i], p);
    if (clash) continue;
    kept.splice(at, 0, p);
    longest = Math.max(longest, p.end - p.start);
  }
  return kept;
}

function overlaps(k: Found, p: Found): boolean {
  const overlap = Math.min(k.end, p.end) - Math.max(k.start, p.start);
  return overlap > 0.5 * Math.min(k.end - k.start, p.end - p.start);
}
