import { calibrate } from "./confidence";
import type { Found } from "./extract";

export const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Overlapping proposals (an indirect clause around a mixed quote): the more confident one stays. */
export function dedupe(proposals: Found[]): Found[] {
  const kept: Found[] = [];
  const score = (p: Found) => calibrate(p.evidence);
  for (const p of [...proposals].sort((a, b) => score(b) - score(a) || a.start - b.start)) {
    const clash = kept.some((k) => {
      const overlap = Math.min(k.end, p.end) - Math.max(k.start, p.start);
      return overlap > 0.5 * Math.min(k.end - k.start, p.end - p.start);
    });
    if (!clash) kept.push(p);
  }
  return kept.sort((a, b) => a.start - b.start);
}
