// `npm run eval:extract [-- --verbose] [--heldout-detail] [--markdown] [--sets dev,heldout] [--no-cpu]`: precision, recall, speaker
// accuracy and calibration of claim proposals on the hand-annotated set in test/fixtures/extraction/
// (dev and held-out reported apart), measured through the API: the real server on an embedded database,
// `articleCreate`, then `claimProposals`. The seed article is scored against its curated claims through
// the function the API calls (its claims exist in the seeded database, so the API would hide them).
import { parseArgs } from "node:util";
import { createKey, startServer, type TestServer } from "../test/support/harness";
import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { evaluateSeed } from "./evaluateProposals";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { calibration, loadFixtures, scoreArticle, totals, type ArticleResult, type FixtureArticle, type ScoredProposal } from "./extraction/fixtures";

const { values } = parseArgs({
  options: { verbose: { type: "boolean", default: false }, "heldout-detail": { type: "boolean", default: false }, markdown: { type: "boolean", default: false },
    // A subset of the sets (a quick loop while tuning on dev: `--sets dev --no-cpu`), or a new batch's folder before it joins one.
    sets: { type: "string", default: "dev,heldout" }, "no-cpu": { type: "boolean", default: false } },
});

const PROPOSALS = `query($id: ID!) { article(id: $id) { claimProposals {
  text pattern confidence quote { start end } speaker { text } source { name } proposedSource { name } } } }`;

async function proposalsThroughApi(server: TestServer, key: string, article: FixtureArticle): Promise<ScoredProposal[]> {
  const created = await server.gql(
    `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } userErrors { code message } } }`,
    {
      input: {
        url: article.url,
        title: article.title,
        publication: article.outlet,
        authors: ["Staff"],
        publishedAt: "2026-01-01T00:00:00Z",
        body: article.body,
      },
    },
    key,
  );
  const payload = created.body.data?.articleCreate;
  if (!payload?.article) throw new Error(`${article.id}: articleCreate failed: ${JSON.stringify(created.body.errors ?? payload?.userErrors)}`);
  const listed = await server.gql(PROPOSALS, { id: payload.article.id }, key);
  return (listed.body.data.article.claimProposals as any[]).map((p) => ({
    start: p.quote.start,
    end: p.quote.end,
    text: p.text,
    speaker: p.source?.name ?? p.proposedSource?.name ?? "",
    speakerText: p.speaker.text,
    pattern: p.pattern,
    confidence: p.confidence,
  }));
}

async function createKnownSources(server: TestServer, key: string, articles: FixtureArticle[]) {
  const seen = new Set<string>();
  for (const source of articles.flatMap((a) => a.known ?? [])) {
    if (seen.has(source.name)) continue;
    seen.add(source.name);
    const slug = source.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const res = await server.gql(
      `mutation($input: SourceCreateInput!) { sourceCreate(input: $input) { source { id } userErrors { code message } } }`,
      { input: { slug, name: source.name, kind: source.kind, aliases: source.aliases } },
      key,
    );
    const errors = res.body.data?.sourceCreate?.userErrors ?? res.body.errors;
    if (errors?.length && errors[0].code !== "CONFLICT") throw new Error(`sourceCreate ${source.name}: ${JSON.stringify(errors)}`);
  }
}

const f3 = (n: number) => n.toFixed(3);

function report(label: string, results: ArticleResult[], detail: boolean) {
  console.log(`\n== ${label} ==`);
  for (const r of results) {
    const t = totals([r]);
    console.log(`${r.id}: P ${f3(t.precision)} R ${f3(t.recall)} speaker ${f3(t.speakerAccuracy)} (${r.correct} right of ${r.proposals} proposals, ${r.claims} claims)`);
    if (!detail) continue;
    for (const m of r.missed) console.log(`  MISSED [${m.speaker}] ${m.kind}: ${m.words}`);
    for (const p of r.scored.filter((p) => p.outcome !== "CORRECT")) {
      const wanted = p.claim ? ` (wanted ${p.claim.speaker})` : "";
      console.log(`  ${p.outcome} ${p.pattern} ${p.confidence} [${p.speaker} ← "${p.speakerText}"]${wanted}: ${p.text.slice(0, 140)}`);
    }
  }
  const t = totals(results);
  const cal = calibration(results.flatMap((r) => r.scored));
  console.log(`${label} total: precision ${f3(t.precision)} recall ${f3(t.recall)} speaker accuracy ${f3(t.speakerAccuracy)} ` +
    `(${t.correct} right of ${t.proposals} proposals; ${t.claims} claims; ${results.length} articles); ECE ${f3(cal.ece)}`);
  // What a desk asking for claimProposals(minConfidence: …) gets.
  const at = (min: number) => totals(results.map((r) => ({ ...r, ...keptAbove(r, min) })));
  console.log(`  ranking AUC ${f3(cal.auc)}; ` + [0.8, 0.9].map((m) => `minConfidence ${m}: precision ${f3(at(m).precision)} recall ${f3(at(m).recall)}`).join("; "));
  console.log(`  reliability: ${cal.bins.map((b) => `[${b.from.toFixed(1)}, ${b.to.toFixed(1)}) n=${b.count} conf ${f3(b.meanConfidence)} acc ${f3(b.accuracy)}`).join("; ")}`);
  if (values.markdown) {
    console.log(`| article | claims | proposals | right | precision | recall | speaker |`);
    for (const r of results) {
      const a = totals([r]);
      console.log(`| ${r.id} | ${r.claims} | ${r.proposals} | ${r.correct} | ${f3(a.precision)} | ${f3(a.recall)} | ${f3(a.speakerAccuracy)} |`);
    }
    console.log(`| **total** | ${t.claims} | ${t.proposals} | ${t.correct} | ${f3(t.precision)} | ${f3(t.recall)} | ${f3(t.speakerAccuracy)} |`);
  }
  return t;
}

/** An article's counts over its proposals at least `min` confident. */
function keptAbove(r: ArticleResult, min: number) {
  const kept = r.scored.filter((p) => p.outcome !== "NEUTRAL" && p.confidence >= min);
  return { proposals: kept.length, correct: kept.filter((p) => p.outcome === "CORRECT").length, spanMatched: kept.filter((p) => p.outcome !== "SPURIOUS").length };
}

/** Median CPU (ms) of a 60,000-character extraction in RUNS fresh processes, cold and after a worker's warm-up, interleaved. */
function cpuFor60k(): { cold: number; warm: number } {
  const RUNS = 3;
  const script = join(__dirname, "extraction", "cpu60k.ts");
  const once = (mode: string) => Number(execFileSync(process.execPath, [require.resolve("tsx/cli"), script, mode], { encoding: "utf8" }).trim());
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    cold.push(once("cold"));
    warm.push(once("warm"));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { cold: median(cold), warm: median(warm) };
}

async function main() {
  const sets = values.sets.split(",").map((name) => ({ name, articles: loadFixtures(name) }));
  const server = await startServer("pglite");
  try {
    const key = await createKey(server, "EDITOR", "extraction evaluation");
    await createKnownSources(server, key, sets.flatMap((s) => s.articles));
    const run = async (articles: FixtureArticle[]) => {
      const out: ArticleResult[] = [];
      for (const a of articles) out.push(scoreArticle(a, await proposalsThroughApi(server, key, a)));
      return out;
    };
    for (const { name, articles } of sets) report(name === "heldout" ? "held-out" : name, await run(articles), name === "heldout" ? values["heldout-detail"] : values.verbose);
  } finally {
    await server.close();
  }
  const seed = evaluateSeed(await loadSeed(DEFAULT_SEED_DIR));
  for (const s of seed) {
    console.log(`\nseed ${s.slug}: precision ${f3(s.matched / s.proposed)} recall ${f3(s.matched / s.curated)} (${s.matched} of ${s.proposed} proposals match ${s.curated} curated claims)`);
    if (values.verbose) for (const m of s.missed) console.log(`  missed ${m.key}: ${m.quote}`);
  }
  if (values["no-cpu"]) return;
  const cpu = cpuFor60k();
  console.log(`\n60,000-character body: ${cpu.warm} ms of CPU in a warmed worker (as a request pays it), ${cpu.cold} ms on a cold thread (medians of 3 fresh processes)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
