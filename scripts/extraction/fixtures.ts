// The hand-annotated extraction set (test/fixtures/extraction/, see GUIDELINES.md there) and how a
// proposal is scored against it.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { matchKey } from "../../src/proposal/text";

export const FIXTURE_DIR = join(__dirname, "..", "..", "test", "fixtures", "extraction");

export interface AnnotatedClaim {
  speaker: string | null;
  kind: "DIRECT" | "PARTIAL" | "INDIRECT";
  words: string;
  note?: string;
}

export interface KnownSource {
  name: string;
  kind: string;
  aliases: string[];
}

export interface FixtureArticle {
  id: string;
  split: string;
  outlet: string;
  url: string;
  section: string;
  title: string;
  body: string;
  speakers: Record<string, string[]>;
  claims: AnnotatedClaim[];
  known?: KnownSource[];
}

export function loadFixtures(split: string): FixtureArticle[] {
  const dir = join(FIXTURE_DIR, split);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const meta = JSON.parse(readFileSync(join(dir, f), "utf8"));
      const body = readFileSync(join(dir, f.replace(/\.json$/, ".txt")), "utf8").replace(/\n+$/, "");
      return { ...meta, split, body } as FixtureArticle;
    });
}

/** A proposal as the API returns it, reduced to what scoring needs. */
export interface ScoredProposal {
  start: number;
  end: number;
  text: string;
  speaker: string;
  speakerText: string;
  pattern: string;
  confidence: number;
  /** CORRECT: span and speaker right; WRONG_SPEAKER: span right; SPURIOUS: no claim there; NEUTRAL: on an unscored claim. */
  outcome?: "CORRECT" | "WRONG_SPEAKER" | "SPURIOUS" | "NEUTRAL";
  claim?: AnnotatedClaim;
}

export interface ArticleResult {
  id: string;
  split: string;
  claims: number;
  proposals: number;
  correct: number;
  spanMatched: number;
  missed: AnnotatedClaim[];
  scored: ScoredProposal[];
}

const key = (name: string) => matchKey(name).replace(/^the /, "");

/** An annotated span: one part, or several when the attribution interrupts it ("“…,” he said, “…”"). */
export interface AnnotatedSpan {
  parts: [number, number][];
}

/**
 * Pairs proposals with annotated spans, most confident first: a proposal holds a span when it covers at least 80% of
 * the span's characters; each span is paired once, so a second proposal on it holds nothing.
 */
export function pairProposals<S extends AnnotatedSpan, P extends Pick<ScoredProposal, "start" | "end" | "confidence">>(spans: S[], proposals: P[]): Map<P, S> {
  const open = new Set(spans);
  const pairs = new Map<P, S>();
  for (const p of [...proposals].sort((a, b) => b.confidence - a.confidence || a.start - b.start)) {
    const covered = (c: S) => c.parts.reduce((sum, [start, end]) => sum + Math.max(0, Math.min(end, p.end) - Math.max(start, p.start)), 0);
    const length = (c: S) => c.parts.reduce((sum, [start, end]) => sum + end - start, 0);
    const hit = [...open].filter((c) => covered(c) >= 0.8 * length(c)).sort((a, b) => covered(b) - covered(a))[0];
    if (!hit) continue;
    open.delete(hit);
    pairs.set(p, hit);
  }
  return pairs;
}

/** Scores an article's proposals against its claims (see pairProposals): the speaker must be the claim's or an alias. */
export function scoreArticle(article: FixtureArticle, proposals: ScoredProposal[]): ArticleResult {
  const located = article.claims.map((claim) => {
    const start = article.body.indexOf(claim.words);
    if (start < 0) throw new Error(`${article.id}: claim words not in the body: ${claim.words}`);
    return { claim, parts: [[start, start + claim.words.length]] as [number, number][] };
  });
  const names = (speaker: string) => new Set([speaker, ...(article.speakers[speaker] ?? [])].map(key));
  const pairs = pairProposals(located, proposals);
  let correct = 0;
  let spanMatched = 0;
  for (const p of proposals) {
    const hit = pairs.get(p);
    if (!hit) {
      p.outcome = "SPURIOUS";
      continue;
    }
    p.claim = hit.claim;
    if (hit.claim.speaker === null) {
      p.outcome = "NEUTRAL";
      continue;
    }
    spanMatched++;
    p.outcome = names(hit.claim.speaker).has(key(p.speaker)) ? "CORRECT" : "WRONG_SPEAKER";
    if (p.outcome === "CORRECT") correct++;
  }
  const paired = new Set(pairs.values());
  return {
    id: article.id,
    split: article.split,
    claims: article.claims.filter((c) => c.speaker !== null).length,
    proposals: proposals.filter((p) => p.outcome !== "NEUTRAL").length,
    correct,
    spanMatched,
    missed: located.filter((c) => !paired.has(c) && c.claim.speaker !== null).map((c) => c.claim),
    scored: [...proposals].sort((a, b) => a.start - b.start),
  };
}

export interface Totals {
  claims: number;
  proposals: number;
  correct: number;
  spanMatched: number;
  precision: number;
  recall: number;
  speakerAccuracy: number;
}

export function totals(results: Pick<ArticleResult, "claims" | "proposals" | "correct" | "spanMatched">[]): Totals {
  const sum = (k: "claims" | "proposals" | "correct" | "spanMatched") => results.reduce((s, r) => s + r[k], 0);
  const t = { claims: sum("claims"), proposals: sum("proposals"), correct: sum("correct"), spanMatched: sum("spanMatched") };
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return { ...t, precision: ratio(t.correct, t.proposals), recall: ratio(t.correct, t.claims), speakerAccuracy: ratio(t.correct, t.spanMatched) };
}

export interface Calibration {
  ece: number;
  /** The chance a right proposal is more confident than a wrong one (ties count half): how well confidence sorts. */
  auc: number;
  bins: { from: number; to: number; count: number; meanConfidence: number; accuracy: number }[];
}

/** Expected calibration error over equal-width confidence bins: confidence against the rate of CORRECT. */
export function calibration(proposals: ScoredProposal[], binCount = 5): Calibration {
  const scored = proposals.filter((p) => p.outcome !== "NEUTRAL");
  const bins = Array.from({ length: binCount }, (_, i) => ({ from: i / binCount, to: (i + 1) / binCount, items: [] as ScoredProposal[] }));
  for (const p of scored) bins[Math.min(binCount - 1, Math.floor(p.confidence * binCount))].items.push(p);
  let ece = 0;
  const rows = bins.map((b) => {
    const count = b.items.length;
    const meanConfidence = count ? b.items.reduce((s, p) => s + p.confidence, 0) / count : 0;
    const accuracy = count ? b.items.filter((p) => p.outcome === "CORRECT").length / count : 0;
    ece += scored.length ? (count / scored.length) * Math.abs(meanConfidence - accuracy) : 0;
    return { from: b.from, to: b.to, count, meanConfidence, accuracy };
  });
  return { ece, auc: rankingAuc(scored), bins: rows };
}

function rankingAuc(scored: ScoredProposal[]): number {
  const right = scored.filter((p) => p.outcome === "CORRECT").map((p) => p.confidence);
  const wrong = scored.filter((p) => p.outcome !== "CORRECT").map((p) => p.confidence).sort((a, b) => a - b);
  if (!right.length || !wrong.length) return 1;
  // For each right proposal, the wrong ones below it and level with it, by binary search over the sorted wrong ones.
  const below = (c: number, strict: boolean) => {
    let [lo, hi] = [0, wrong.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? wrong[mid] < c : wrong[mid] <= c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const wins = right.reduce((sum, c) => sum + below(c, true) + (below(c, false) - below(c, true)) / 2, 0);
  return wins / (right.length * wrong.length);
}
