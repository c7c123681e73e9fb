// `npm run eval:polnear -- --dir <PolNeAR checkout> [--split train|dev|test] [--verbose]`: claim proposals measured on
// PolNeAR (Newell, Margolin and Ruths, LREC 2018), 1,008 full-length articles from seven US publishers on the 2016 US
// election, every attribution (source, cue, content) annotated by trained annotators who never saw this extractor. The
// corpus is not in this repository: pass the folder of a checkout (its data/<split>/text and data/<split>/attributions).
// Its own protocol: develop on train, tune on dev, run test once. Run in process (extractWithEvidence, what the API's
// worker calls), one annotator's file per article.
//
// PolNeAR annotates more than claims: what people think, want or fear ("Trump believes …") is an attribution there, not a
// claim a desk checks. So recall is reported twice: over every attribution, and over statements (attributions whose cue
// is no verb of thinking or wanting). A proposal is right when it holds an attribution's content (pairProposals); its
// speaker is checked against the attribution's source words, which PolNeAR marks where the sentence gives them ("he",
// "a spokesman", "Clinton"): the proposal's speaker mention must overlap them, or its resolved name end in a word of them.
// A content the attribution interrupts is one claim per part, as this project's guidelines count them.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { extractWithEvidence } from "../../src/proposal/extract";
import { matchKey } from "../../src/proposal/text";
import { pairProposals, type AnnotatedSpan } from "./fixtures";

interface Attribution extends AnnotatedSpan {
  source: [number, number][];
  sourceText: string;
  cue: string;
  cueAt: number;
  statement: boolean;
}

/** Cues of an internal state (thinking, wanting, fearing), not of saying: PolNeAR's attributions that are no claims. */
const THINKING = /^(think|thinks|thought|believ\w*|know|knows|knew|known|want\w*|hop(e|es|ed|ing)|feel\w*|felt|fear\w*|expect\w*|worr\w*|seem\w*|consider\w*|see|sees|saw|seen|learn\w*|understand\w*|understood|reali[sz]\w*|wonder\w*|plan\w*|intend\w*|decid\w*|doubt\w*|suspect\w*|assum\w*|imagin\w*|recogni[sz]\w*|remember\w*|wish\w*|prefer\w*|view\w*|aware|convinced|sure|concerned)$/;

const spans = (field: string): [number, number][] => field.split(";").map((part) => part.trim().split(" ").map(Number) as [number, number]);

/** The attributions of one brat standoff file: T lines are spans, E lines tie a cue to its source and content. */
export function parseAnnotations(ann: string): Attribution[] {
  const t = new Map<string, { type: string; parts: [number, number][]; text: string }>();
  const relations: Record<string, string>[] = [];
  for (const line of ann.split("\n")) {
    const [id, body, text = ""] = line.split("\t");
    if (id?.startsWith("T") && body) {
      const space = body.indexOf(" ");
      t.set(id, { type: body.slice(0, space), parts: spans(body.slice(space + 1)), text });
    } else if (id?.startsWith("E") && body) {
      relations.push(Object.fromEntries(body.trim().split(/\s+/).map((pair) => pair.split(":") as [string, string])));
    }
  }
  return relations.flatMap((r) => {
    const content = t.get(r.Content);
    if (!content) return [];
    const source = t.get(r.Source);
    const cue = t.get(r.Cue)?.text ?? "";
    const statement = !cue.toLowerCase().split(/[^a-z]+/).some((w) => THINKING.test(w));
    const cueAt = t.get(r.Cue)?.parts[0][0] ?? content.parts[0][0];
    // A content the attribution interrupts ("“…,” he said. “…”") is one claim per part, as GUIDELINES.md counts them.
    const parts = content.parts.filter(([start, end]) => end - start > 2);
    return parts.map((part) => ({ parts: [part], source: source?.parts ?? [], sourceText: source?.text ?? "", cue, cueAt, statement }));
  });
}

interface Counts {
  articles: number;
  attributions: number;
  statements: number;
  proposals: number;
  held: number;
  heldStatements: number;
  withSource: number;
  linked: number;
}

function scoreArticle(body: string, attributions: Attribution[], counts: Counts, verbose: boolean, id: string) {
  const proposals = extractWithEvidence(body, []);
  const pairs = pairProposals(attributions, proposals);
  counts.articles++;
  counts.attributions += attributions.length;
  counts.statements += attributions.filter((a) => a.statement).length;
  counts.proposals += proposals.length;
  counts.held += pairs.size;
  counts.heldStatements += [...pairs.values()].filter((a) => a.statement).length;
  const lines: string[] = [];
  for (const p of proposals) {
    const a = pairs.get(p);
    const mention = `[${p.speaker.name} ← "${body.slice(p.speaker.start, p.speaker.end)}"]`;
    if (!a) {
      lines.push(`  SPURIOUS ${p.pattern} ${mention}: ${p.text.slice(0, 160)}`);
      continue;
    }
    if (a.source.length === 0) continue;
    counts.withSource++;
    // (PolNeAR marks a relative clause's source at its pronoun, "Bernie Sanders, who cites them": the phrase just before it.)
    const relative = /^(who|which|that)$/i.test(a.sourceText.trim()) && a.source.some(([s]) => /^[\s,]*$/.test(body.slice(p.speaker.end, s)));
    const overlaps = relative || a.source.some(([s, e]) => Math.min(e, p.speaker.end) > Math.max(s, p.speaker.start));
    const words = new Set(matchKey(a.sourceText).split(" "));
    if (overlaps || words.has(matchKey(p.speaker.name).split(" ").at(-1)!)) counts.linked++;
    else lines.push(`  WRONG_SOURCE ${p.pattern} ${mention} (source "${a.sourceText}"): ${p.text.slice(0, 120)}`);
  }
  const held = new Set(pairs.values());
  for (const a of attributions) {
    if (held.has(a) || !a.statement) continue;
    // How much of it the proposal covering most of it covers: a boundary apart, or nothing proposed there.
    const length = a.parts.reduce((sum, [s, e]) => sum + e - s, 0);
    const best = Math.max(0, ...proposals.map((p) => a.parts.reduce((sum, [s, e]) => sum + Math.max(0, Math.min(e, p.end) - Math.max(s, p.start)), 0) / length));
    const from = Math.min(a.cueAt, a.parts[0][0], ...a.source.map(([s]) => s));
    const sentence = body.slice(Math.max(body.lastIndexOf("\n", from), body.lastIndexOf(". ", from) + 1, 0), body.indexOf("\n", a.cueAt) < 0 ? undefined : body.indexOf("\n", a.cueAt)).trim();
    lines.push(`  MISSED${best > 0 ? ` (${best.toFixed(2)} covered)` : ""} [${a.sourceText} | ${a.cue}]: ${sentence.slice(0, 240)}`);
  }
  if (verbose) console.log(`${id}: ${pairs.size} held of ${proposals.length} proposals, ${attributions.length} attributions\n${lines.join("\n")}`);
}

function main() {
  const { values } = parseArgs({ options: { dir: { type: "string" }, split: { type: "string", default: "dev" }, verbose: { type: "boolean", default: false } } });
  if (!values.dir) throw new Error("--dir <PolNeAR checkout> is required");
  const data = join(values.dir, "data", values.split!);
  const annotations = readdirSync(join(data, "attributions")).sort();
  const counts: Counts = { articles: 0, attributions: 0, statements: 0, proposals: 0, held: 0, heldStatements: 0, withSource: 0, linked: 0 };
  for (const file of readdirSync(join(data, "text")).sort()) {
    const id = file.replace(/\.txt$/, "");
    // Articles annotated twice (a few, for agreement): the first annotator's file.
    const ann = annotations.find((a) => a.startsWith(`${id}_`));
    if (!ann) continue;
    scoreArticle(readFileSync(join(data, "text", file), "utf8"), parseAnnotations(readFileSync(join(data, "attributions", ann), "utf8")), counts, values.verbose!, id);
  }
  const ratio = (a: number, b: number) => (b ? a / b : 1).toFixed(3);
  console.log(
    `PolNeAR ${values.split}: precision ${ratio(counts.held, counts.proposals)}, recall ${ratio(counts.heldStatements, counts.statements)} of statements ` +
      `(${ratio(counts.held, counts.attributions)} of all attributions), source link ${ratio(counts.linked, counts.withSource)} ` +
      `(${counts.held} held of ${counts.proposals} proposals; ${counts.statements} statements, ${counts.attributions} attributions; ${counts.articles} articles)`,
  );
}

main();
