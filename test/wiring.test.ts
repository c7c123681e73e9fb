// The house's wiring rules, checked on the source tree (no server needed): the shared layers import
// no domain, domains import no composition root, and the live watch filter follows the claim filter.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildSchema, isInputObjectType } from "graphql";
import { readSchemaFile } from "../src/graphql/sdl";

const SRC = path.join(__dirname, "..", "src");
/** Layers, lowest first: a file may import its own folder and folders of lower layers only. */
const LAYERS: string[][] = [
  ["generated", "validation", "db"],
  ["graphql", "cpu"],
  ["source", "claim", "article", "event", "auth", "proposal", "live"],
  ["importer"],
  ["app"],
  ["http"],
];
const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)[^;]*?from "(\.[^"]+)"/g)].map((m) => m[1]);
}

test("no import runs from a lower layer up to a higher one (domains own their wiring, src/app composes)", () => {
  const backEdges: string[] = [];
  const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith(".ts") && !f.parentPath.includes(`${path.sep}generated`))
    .map((f) => path.join(f.parentPath, f.name));
  for (const file of files) {
    const folder = path.relative(SRC, file).split(path.sep)[0];
    if (!folder.endsWith(".ts") && layerOf(folder) < 0) throw new Error(`src/${folder} is in no layer of test/wiring.test.ts: add it`);
    // Top-level files (main.ts, config.ts, logger.ts, …) are either the entry point or leaves.
    if (folder.endsWith(".ts")) continue;
    for (const spec of importsOf(file)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
      if (target.endsWith(".ts") || !target || target === folder || target.startsWith("..")) continue;
      if (layerOf(target) > layerOf(folder)) backEdges.push(`${path.relative(SRC, file)} -> ${spec}`);
    }
  }
  expect(backEdges).toEqual([]);
});

test("the live watch filter has every claim filter field, except those it leaves out on purpose", () => {
  const schema = buildSchema(readSchemaFile());
  const claimFilter = schema.getType("ClaimFilter");
  const watchFilter = schema.getType("ClaimWatchFilter");
  if (!isInputObjectType(claimFilter) || !isInputObjectType(watchFilter)) throw new Error("filter input types missing");
  // A claim leaving a state is news to a list filtered on it, so the watch filter has no state conditions.
  const leftOut: Record<string, string> = {
    status: "a state: a claim leaving it is news",
    attribution: "a state: a claim leaving it is news",
    anchoring: "a state: a claim leaving it is news",
    includeRetired: "a retirement is a change every watcher hears of",
    search: "not matched on changes yet",
    saidAfter: "not matched on changes yet",
    saidBefore: "not matched on changes yet",
  };
  const watch = watchFilter.getFields();
  for (const [name, field] of Object.entries(claimFilter.getFields())) {
    if (name in leftOut) {
      expect({ name, inWatchFilter: name in watch }).toEqual({ name, inWatchFilter: false });
      continue;
    }
    expect({ name, type: watch[name]?.type.toString() }).toEqual({ name, type: field.type.toString() });
  }
  for (const name of Object.keys(watch)) expect({ name, inClaimFilter: name in claimFilter.getFields() }).toEqual({ name, inClaimFilter: true });
});
