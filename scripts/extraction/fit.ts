// `npx tsx scripts/extraction/fit.ts`: the calibration table for src/proposal/confidence.ts, fitted on
// the DEV part of the extraction set only: for each kind of evidence, the share of proposals that
// were right (span and speaker), smoothed towards the share for its pattern.
import { loadSeed } from "../../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../../src/paths";
import { evidenceKey } from "../../src/proposal/confidence";
import { extractWithEvidence } from "../../src/proposal/extract";
import type { Evidence } from "../../src/proposal/confidence";
import { loadFixtures, scoreArticle, type ScoredProposal } from "./fixtures";

async function main() {
  const seed = await loadSeed(DEFAULT_SEED_DIR);
  const dev = loadFixtures("dev");
  const catalogue = [
    ...seed.sources.map((s) => ({ id: s.slug, name: s.name, kind: s.kind, aliases: s.aliases })),
    ...dev.flatMap((a) => a.known ?? []).map((k, i) => ({ id: `known-${i}`, name: k.name, kind: k.kind as any, aliases: k.aliases })),
  ];
  const names = new Map(catalogue.map((c) => [c.id, c.name]));
  const counts = new Map<string, { right: number; all: number }>();
  const add = (key: string, right: boolean) => {
    const c = counts.get(key) ?? { right: 0, all: 0 };
    counts.set(key, { right: c.right + (right ? 1 : 0), all: c.all + 1 });
  };
  for (const article of dev) {
    const found = extractWithEvidence(article.body, catalogue);
    const scored: (ScoredProposal & { evidence: Evidence })[] = found.map((p) => ({ start: p.start, end: p.end, text: p.text, speaker: p.speaker.sourceId ? names.get(p.speaker.sourceId)! : p.speaker.name, speakerText: "", pattern: p.pattern, confidence: p.confidence, evidence: p.evidence }));
    scoreArticle(article, scored);
    for (const p of scored) {
      if (p.outcome === "NEUTRAL") continue;
      add(p.evidence.pattern, p.outcome === "CORRECT");
      add(evidenceKey(p.evidence), p.outcome === "CORRECT");
    }
  }
  // Beta smoothing: a key seen n times moves from its pattern's rate by n / (n + 10); the dev set is
  // what the rules were tuned on, so its rates are an upper bound and are not trusted far.
  const rows = [...counts].filter(([k]) => k.includes("/")).sort(([a], [b]) => a.localeCompare(b));
  console.log("const FITTED: Record<string, number> = {");
  for (const [key, c] of rows) {
    const prior = counts.get(key.split("/")[0])!;
    const rate = (c.right + 10 * (prior.right / prior.all) * 0.9) / (c.all + 10);
    console.log(`  "${key}": ${rate.toFixed(2)}, // ${c.right}/${c.all}`);
  }
  console.log("};");
  for (const p of ["DIRECT", "MIXED", "INDIRECT"]) {
    const c = counts.get(p);
    if (c) console.log(`// ${p}: ${c.right}/${c.all}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
