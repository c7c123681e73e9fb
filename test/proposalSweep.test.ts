import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fasterSweep } from "../src/proposal/sweep";

/**
 * src/proposal/sweep.ts replaces compromise's `bulkMatch` for speed: the tags and roots it leads to must
 * be compromise's own, word for word, on real copy (the development articles of the extraction set).
 */
const nlp = require("compromise/two");
const DEV = join(__dirname, "fixtures", "extraction", "dev");
const bodies = readdirSync(DEV).filter((f) => f.endsWith(".txt")).sort().map((f) => readFileSync(join(DEV, f), "utf8"));

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
