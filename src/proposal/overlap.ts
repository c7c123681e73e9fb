import { lowerBound } from "./text";

type Span = { start: number; end: number; confidence: number };

/** Overlapping proposals (an indirect clause around a mixed quote): the more confident one stays (scored once, by the caller). */
export function dedupe<P extends Span>(proposals: P[]): P[] {
  // Kept in order of start, so a proposal is compared with the ones it can overlap only: those starting before its end
  // and after its start less the longest span kept (all of them, for every proposal, was quadratic in a long body's).
  const kept: P[] = [];
  let longest = 0;
  for (const p of [...proposals].sort((a, b) => b.confidence - a.confidence || a.start - b.start)) {
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

function overlaps(k: Span, p: Span): boolean {
  const overlap = Math.min(k.end, p.end) - Math.max(k.start, p.start);
  return overlap > 0.5 * Math.min(k.end - k.start, p.end - p.start);
}
