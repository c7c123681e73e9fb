// CPU of one extraction over a 60,000-character body made of the extraction set's articles, in a
// fresh process: `tsx scripts/extraction/cpu60k.ts cold|warm` prints milliseconds. `cold` is a new
// thread's first long body (compromise's lexicon loaded first, outside the measurement); `warm` is a
// CPU-pool worker's after the warm-up every worker runs as it starts (src/proposal/warmUp.ts).
// process.cpuUsage counts V8's compiler threads too: on a cold thread they use as much as the work.
import { extractProposals } from "../../src/proposal/extract";
import { warmUpExtraction } from "../../src/proposal/warmUp";
import { loadFixtures } from "./fixtures";

function longBody(): string {
  let body = "";
  const articles = [...loadFixtures("dev"), ...loadFixtures("heldout")];
  for (let i = 0; body.length < 60_000; i++) body += articles[i % articles.length].body + "\n\n";
  return body.slice(0, 60_000);
}

if (require.main === module) {
  const body = longBody();
  if (process.argv[2] === "warm") warmUpExtraction();
  else extractProposals(body.slice(0, 2_000), []);
  const before = process.cpuUsage();
  extractProposals(body, []);
  const used = process.cpuUsage(before);
  console.log(((used.user + used.system) / 1000).toFixed(0));
}
