// `npm run eval:extract [-- --from <seed dir>] [--verbose]`: precision and recall of the claim
// proposals against the curated claims of every article in a seed set (see scripts/evaluateProposals.ts).
import { parseArgs } from "node:util";
import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { evaluateSeed } from "./evaluateProposals";

const { values } = parseArgs({ options: { from: { type: "string" }, verbose: { type: "boolean", default: false } } });
async function main() {
const scores = evaluateSeed(await loadSeed(values.from ?? DEFAULT_SEED_DIR));
const ratio = (a: number, b: number) => (b === 0 ? "n/a" : (a / b).toFixed(3));
const total = { curated: 0, proposed: 0, matched: 0, matchedStrict: 0 };
for (const s of scores) {
  for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += s[k];
  console.log(
    `${s.slug}: precision ${ratio(s.matched, s.proposed)} recall ${ratio(s.matched, s.curated)} ` +
      `(${s.matched} of ${s.proposed} proposals match ${s.curated} curated claims; strict overlap: precision ${ratio(s.matchedStrict, s.proposed)} recall ${ratio(s.matchedStrict, s.curated)})`,
  );
  if (values.verbose) {
    for (const m of s.missed) console.log(`  missed ${m.key}: ${m.quote}`);
    for (const w of s.wrong) console.log(`  unmatched ${w.pattern} ${w.kind} [${w.speaker.sourceId ?? `new: ${w.speaker.name}`}] ${w.confidence}: ${w.text}`);
  }
}
console.log(
  `all ${scores.length} article(s): precision ${ratio(total.matched, total.proposed)} recall ${ratio(total.matched, total.curated)} ` +
    `(strict overlap: precision ${ratio(total.matchedStrict, total.proposed)} recall ${ratio(total.matchedStrict, total.curated)})`,
);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
