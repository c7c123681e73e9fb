import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fasterSweep } from "../src/proposal/sweep";
import { singularOnce } from "../src/proposal/singular";
import { extractProposals } from "../src/proposal/extract";
import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";

/**
 * src/proposal/sweep.ts (with sweepStarts.ts) replaces compromise's `bulkMatch` for speed, and singular.ts
 * its `toSingular`: the tags and roots they lead to must be compromise's own, word for word, on real copy
 * (development articles of the extraction set), and so must the proposals.
 */
const nlp = require("compromise/two");
const DEV = join(__dirname, "fixtures", "extraction", "dev");
// Every other development article (over a hundred, from every batch): the set grows each round, and tagging it all
// three times here grew with it.
const bodies = readdirSync(DEV).filter((f) => f.endsWith(".txt")).sort().filter((_, i) => i % 2 === 0).map((f) => readFileSync(join(DEV, f), "utf8"));

function tagged(body: string): string[] {
  const doc = nlp(body);
  doc.compute(["root"]);
  return (doc.docs as { text: string; root?: string; tags: Set<string> }[][]).flatMap((s) => s.map((t) => `${t.text}/${t.root ?? ""}/${[...t.tags].sort().join(",")}`));
}

test("the faster sweep tags the development articles exactly as compromise's own", () => {
  const one = nlp.methods().one;
  const own = one.bulkMatch;
  expect(own).not.toBe(fasterSweep.methods.one.bulkMatch);
  const text = bodies.join("\n\n");
  const expected = tagged(text);
  try {
    one.bulkMatch = fasterSweep.methods.one.bulkMatch;
    const actual = tagged(text);
    expect(actual.length).toBeGreaterThan(10_000);
    expect(actual).toEqual(expected);
  } finally {
    one.bulkMatch = own;
  }
});

test("the plural table inverted once gives compromise's own singulars", () => {
  const noun = nlp.methods().two.transform.noun;
  const own = noun.toSingular;
  const replaced = { toSingular: own };
  singularOnce.mutate({ methods: { two: { transform: { noun: replaced } } } });
  expect(replaced.toSingular).not.toBe(own);
  const model = nlp.model();
  const irregular = Object.values(model.two.irregularPlurals) as string[];
  expect(irregular.length).toBeGreaterThan(50);
  for (const plural of [...irregular, "analysts", "countries", "wolves", "buses", "news", "data"]) {
    expect(replaced.toSingular(plural, model)).toBe(own(plural, model));
  }
  const text = bodies.join("\n\n");
  const expected = tagged(text);
  try {
    noun.toSingular = replaced.toSingular;
    expect(tagged(text)).toEqual(expected);
  } finally {
    noun.toSingular = own;
  }
});

test("the extractor proposes the same with compromise's own sweep and singulars", async () => {
  const seed = await loadSeed(DEFAULT_SEED_DIR);
  const catalogue = seed.sources.map((s) => ({ id: s.slug, name: s.name, kind: s.kind, aliases: s.aliases }));
  // Each development article, the seed's, and the 60,000-character body `npm run eval:extract` times.
  let long = "";
  for (let i = 0; long.length < 60_000; i++) long += bodies[i % bodies.length].replace(/\n+$/, "") + "\n\n";
  const texts = [...bodies, ...seed.articles.map((a) => a.bodyText), long.slice(0, 60_000)];
  const digests = () => texts.map((text) => createHash("sha256").update(JSON.stringify(extractProposals(text, catalogue))).digest("hex"));
  const one = nlp.methods().one;
  const noun = nlp.methods().two.transform.noun;
  const own = { bulkMatch: one.bulkMatch, toSingular: noun.toSingular };
  expect(own.bulkMatch).not.toBe(fasterSweep.methods.one.bulkMatch);
  const faster = digests(); // the first extraction installs the plugins
  expect(one.bulkMatch).toBe(fasterSweep.methods.one.bulkMatch);
  const installed = { bulkMatch: one.bulkMatch, toSingular: noun.toSingular };
  try {
    [one.bulkMatch, noun.toSingular] = [own.bulkMatch, own.toSingular];
    expect(digests()).toEqual(faster);
  } finally {
    [one.bulkMatch, noun.toSingular] = [installed.bulkMatch, installed.toSingular];
  }
});
