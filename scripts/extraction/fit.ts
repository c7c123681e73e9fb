// `npx tsx scripts/extraction/fit.ts`: the weights of src/proposal/confidence.ts, fitted on the DEV part of the
// extraction set only: an L2-regularised logistic regression from each proposal's features to "span and speaker right".
// (Fifteen-odd indicators and a few thousand proposals: Newton's method in a page, exact and deterministic; the npm
// packages for it fit by fixed-step gradient descent without regularisation.)
import { loadSeed } from "../../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../../src/paths";
import { features } from "../../src/proposal/confidence";
import { extractWithEvidence } from "../../src/proposal/extract";
import { loadFixtures, scoreArticle, type ScoredProposal } from "./fixtures";

/** The penalty on every weight but the bias: the dev set is what the rules were tuned on, so its rates are not trusted far. */
const L2 = 3;

async function main() {
  const seed = await loadSeed(DEFAULT_SEED_DIR);
  const rows: { x: Record<string, number>; y: number }[] = [];
  for (const article of loadFixtures("dev")) {
    const catalogue = [
      ...seed.sources.map((s) => ({ id: s.slug, name: s.name, kind: s.kind, aliases: s.aliases })),
      ...(article.known ?? []).map((k, i) => ({ id: `known-${i}`, name: k.name, kind: k.kind as never, aliases: k.aliases })),
    ];
    const names = new Map(catalogue.map((c) => [c.id, c.name]));
    const found = extractWithEvidence(article.body, catalogue);
    const scored = found.map((p) => ({ start: p.start, end: p.end, text: p.text, speaker: p.speaker.sourceId ? names.get(p.speaker.sourceId)! : p.speaker.name, speakerText: "", pattern: p.pattern, confidence: p.confidence, evidence: p.evidence }) as ScoredProposal & { evidence: (typeof found)[number]["evidence"] });
    scoreArticle(article, scored);
    for (const p of scored) if (p.outcome !== "NEUTRAL") rows.push({ x: { bias: 1, ...features(p.evidence) }, y: p.outcome === "CORRECT" ? 1 : 0 });
  }
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.x)))].sort((a, b) => (a === "bias" ? -1 : b === "bias" ? 1 : a.localeCompare(b)));
  const X = rows.map((r) => names.map((n) => r.x[n] ?? 0));
  const w = newton(X, rows.map((r) => r.y), names.map((n) => (n === "bias" ? 0 : L2)));
  console.log(`// ${rows.length} dev proposals, ${rows.filter((r) => r.y).length} right`);
  console.log("const WEIGHTS: Record<string, number> = {");
  for (const [i, n] of names.entries()) console.log(`  ${/^\w+$/.test(n) ? n : JSON.stringify(n)}: ${w[i].toFixed(3)},`);
  console.log("};");
}

/** Maximises the penalised log-likelihood: w ← w − H⁻¹g, twenty steps (it settles in under ten). */
function newton(X: number[][], y: number[], penalty: number[]): number[] {
  const d = penalty.length;
  let w = new Array<number>(d).fill(0);
  for (let step = 0; step < 20; step++) {
    const g = w.map((wi, j) => penalty[j] * wi);
    const H = penalty.map((p, j) => penalty.map((_, k) => (j === k ? p : 0)));
    X.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * w[j], 0)));
      for (let j = 0; j < d; j++) {
        g[j] += (p - y[i]) * x[j];
        for (let k = 0; k < d; k++) H[j][k] += p * (1 - p) * x[j] * x[k];
      }
    });
    const delta = solve(H, g);
    w = w.map((wi, j) => wi - delta[j]);
  }
  return w;
}

/** Gaussian elimination with partial pivoting (H is positive definite: the penalty keeps it so). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    const pivot = M.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(M[best][c]) ? c + i : best), c);
    [M[c], M[pivot]] = [M[pivot], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
