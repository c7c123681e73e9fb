import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { extractProposals } from "../src/proposal/extract";
(async () => {
  const seed = await loadSeed(DEFAULT_SEED_DIR);
  const cat = seed.sources.map((s) => ({ id: s.slug, name: s.name, kind: s.kind, aliases: s.aliases }));
  const a = seed.articles[0];
  const pat = process.argv[2];
  for (const p of extractProposals(a.bodyText, cat)) if (!pat || p.text.includes(pat)) console.log(p.pattern, p.confidence, p.speaker.resolution, p.speaker.sourceId ?? "new:" + p.speaker.name, "|", p.text.slice(0, 100));
  if (pat) { const i = a.bodyText.indexOf(pat); console.log("CONTEXT:", a.bodyText.slice(Math.max(0, i - 400), i + 200)); }
})();
