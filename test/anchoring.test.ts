import { readFileSync } from "node:fs";
import path from "node:path";
import { FUZZY_THRESHOLD, reanchor, selectorAt } from "../src/article/anchoring";
import { DEFAULT_SEED_DIR } from "../src/paths";

// Realistic corrections of the seed article, applied to the text; each quote is re-located from its selector.
const body = readFileSync(path.join(DEFAULT_SEED_DIR, "articles/soleimani-strike-push.txt"), "utf8");
const selector = (exact: string) => {
  const start = body.indexOf(exact);
  const s = selectorAt(body, start, start + exact.length);
  return { exact: s.quoteExact, prefix: s.quotePrefix, suffix: s.quoteSuffix, start };
};
const dod = "At the direction of the President, the U.S. military has taken decisive defensive action to protect U.S. personnel abroad by killing Qasem Soleimani";
const trump = "Iran never won a war, but never lost a negotiation!";

test("a typo fixed before the quote moves it exactly", () => {
  const corrected = body.replace("Abdulmahdi", "Abdul-Mahdi");
  const sel = selector(trump);
  const anchor = reanchor(corrected, sel);
  expect(anchor).toEqual({ state: "EXACT", start: sel.start + 1, end: sel.start + 1 + trump.length, score: 1 });
  expect(corrected.slice(sel.start + 1, sel.start + 1 + trump.length)).toBe(trump);
});

test("a paragraph inserted before the quote moves it exactly", () => {
  const insert = "Editor’s note: this article was updated with the Pentagon’s statement.\n\n";
  const corrected = insert + body;
  const anchor = reanchor(corrected, selector(dod));
  expect(anchor.state).toBe("EXACT");
  if (anchor.state !== "ORPHANED") expect(corrected.slice(anchor.start, anchor.end)).toBe(dod);
});

test("a word changed inside the quote is found approximately, with a score below 1", () => {
  const corrected = body.replace("decisive defensive action", "decisive and defensive action");
  const anchor = reanchor(corrected, selector(dod));
  expect(anchor.state).toBe("FUZZY");
  if (anchor.state !== "FUZZY") return;
  expect(anchor.score).toBeGreaterThanOrEqual(FUZZY_THRESHOLD);
  expect(anchor.score).toBeLessThan(1);
  const found = corrected.slice(anchor.start, anchor.end);
  expect(found).toContain("decisive and defensive action");
  expect(found.startsWith("At the direction")).toBe(true);
});

test("the quote's sentence deleted orphans it rather than highlighting something else", () => {
  const sentence = "“Iran never won a war, but never lost a negotiation!” Trump wrote cryptically on Friday morning.\n\n";
  const corrected = body.replace(sentence, "");
  expect(corrected).not.toBe(body);
  expect(reanchor(corrected, selector(trump))).toEqual({ state: "ORPHANED", score: null });
});

test("the article replaced by another text orphans every quote", () => {
  const other = "The city council approved the budget on Tuesday. “We are pleased,” the mayor said. Critics said it was too small.";
  for (const quote of [dod, trump, "handful of clerics", "peace."]) {
    expect(reanchor(other, selector(quote)).state).toBe("ORPHANED");
  }
});

test("a quote that now occurs twice is placed by its context, and flagged for review", () => {
  const corrected = body.replace("Trump wrote cryptically", `Trump wrote cryptically, repeating “${trump}”`);
  const sel = selector(trump);
  const anchor = reanchor(corrected, sel);
  expect(anchor.state).toBe("FUZZY");
  if (anchor.state === "FUZZY") expect(anchor.start).toBe(sel.start);
});

test("a short quote with one character changed and no surrounding context left is orphaned", () => {
  const sel = selector("peace.");
  expect(reanchor("They want place.", sel).state).toBe("ORPHANED");
});
