import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SeedValidationError, loadSeed } from "../src/importer/loadSeed";
import { runImport } from "../src/importer/importer";
import { databaseKinds, startServer, type TestServer } from "./support/harness";
import { ARTICLE_FILE, copySeed } from "./support/seedFiles";

const BODY_FILE = "articles/soleimani-strike-push.txt";

/** The problems a seed variant is refused with (it must be refused). */
async function problemsOf(change: (seed: ReturnType<typeof copySeed>) => void): Promise<string[]> {
  const seed = copySeed();
  try {
    change(seed);
    const error = await loadSeed(seed.dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(SeedValidationError);
    return (error as SeedValidationError).problems;
  } finally {
    seed.remove();
  }
}

function editRaw(seed: ReturnType<typeof copySeed>, file: string, change: (bytes: Buffer) => Buffer) {
  const full = path.join(seed.dir, file);
  writeFileSync(full, change(readFileSync(full)));
}
const replaceText = (from: string | RegExp, to: string) => (bytes: Buffer) => {
  const text = bytes.toString("utf8");
  const changed = text.replace(from, to);
  expect(changed).not.toBe(text);
  return Buffer.from(changed, "utf8");
};

describe("seed validation refuses what the database would store wrong", () => {
  test("invalid UTF-8 in a YAML file or an article body, naming the file and line", async () => {
    const sources = await problemsOf((seed) =>
      editRaw(seed, "sources.yaml", (b) => {
        const at = b.indexOf("Lindsey");
        return Buffer.concat([b.subarray(0, at + 7), Buffer.from([0xc3, 0x28]), b.subarray(at + 7)]);
      }),
    );
    expect(sources).toEqual([expect.stringMatching(/^sources\.yaml: line \d+: not valid UTF-8/)]);
    const body = await problemsOf((seed) => editRaw(seed, BODY_FILE, (b) => Buffer.concat([b.subarray(0, 100), Buffer.from([0xff]), b.subarray(100)])));
    expect(body).toEqual([`${BODY_FILE}: line 1: not valid UTF-8 (save the file as UTF-8)`]);
  });

  test("a blank article body is refused with the API's body rule; trailing whitespace is dropped as the API drops it", async () => {
    const blank = await problemsOf((seed) => editRaw(seed, BODY_FILE, () => Buffer.from(" \n\n\t ")));
    expect(blank).toEqual(expect.arrayContaining([`articles/soleimani-strike-push.yaml: body: must not be empty`]));
    const seed = copySeed();
    try {
      editRaw(seed, BODY_FILE, (b) => Buffer.concat([b, Buffer.from("\n\n  ")]));
      const loaded = await loadSeed(seed.dir);
      expect(loaded.articles[0].bodyText).toBe(readFileSync(path.join(seed.dir, BODY_FILE), "utf8").trimEnd());
    } finally {
      seed.remove();
    }
  });

  test("NUL bytes in a text file and NUL escapes in YAML strings", async () => {
    const raw = await problemsOf((seed) => editRaw(seed, BODY_FILE, (b) => Buffer.concat([b.subarray(0, 10), Buffer.from([0]), b.subarray(10)])));
    expect(raw).toEqual([`${BODY_FILE}: line 1: contains a NUL byte`]);
    const escaped = await problemsOf((seed) => seed.edit("sources.yaml", (doc) => (doc.sources[0].name = "Trump\0administration")));
    expect(escaped).toEqual([expect.stringMatching(/^sources\.yaml: sources\.0\.name: must not contain NUL/)]);
    const quote = await problemsOf((seed) => seed.edit(ARTICLE_FILE, (doc) => (doc.claims[0].quote = "a\0b")));
    expect(quote).toEqual(expect.arrayContaining([expect.stringMatching(/^articles\/soleimani-strike-push\.yaml: claims\.0\.quote: must not contain NUL/)]));
  });

  test.each([
    ["0000-01-01", "a year before 1000"],
    ["0099-06-15", "YAML's two-digit-year trap (not 1999)"],
    ['"0000-01-01"', "a quoted date"],
    ["10000-01-01", "a five-digit year"],
    ["2019-02-30", "a day that does not exist"],
  ])("an event dated %s is refused (%s)", async (value) => {
    const problems = await problemsOf((seed) => editRaw(seed, "events.yaml", replaceText(/occurredAt: \S+/, `occurredAt: ${value}`)));
    expect(problems).toEqual([expect.stringMatching(/^events\.yaml: events\.0\.occurredAt: must be a date/)]);
  });

  test("dates inside the range still load, as written", async () => {
    const seed = copySeed();
    try {
      editRaw(seed, "events.yaml", replaceText(/occurredAt: \S+/, "occurredAt: 1000-06-15"));
      expect((await loadSeed(seed.dir)).events[0].occurredAt.toISOString()).toBe("1000-06-15T00:00:00.000Z");
    } finally {
      seed.remove();
    }
  });

  test("affiliation cycles of any length are refused with the cycle named", async () => {
    const three = await problemsOf((seed) =>
      seed.edit("sources.yaml", (doc) => {
        const [a, b, c] = doc.sources;
        a.affiliation = b.slug;
        b.affiliation = c.slug;
        c.affiliation = a.slug;
      }),
    );
    expect(three).toEqual([expect.stringMatching(/^sources\.yaml: sources\.\d+\.affiliation: affiliation cycle (\S+) → \S+ → \S+ → \1$/)]);
    const self = await problemsOf((seed) => seed.edit("sources.yaml", (doc) => (doc.sources[1].affiliation = doc.sources[1].slug)));
    expect(self).toEqual(["sources.yaml: sources.1.affiliation: a source cannot be affiliated with itself"]);
  });

  test("an over-long slug or name and a body file outside the seed directory are refused", async () => {
    const slug = await problemsOf((seed) => seed.edit("sources.yaml", (doc) => (doc.sources[0].slug = "a".repeat(5000))));
    expect(slug).toEqual(expect.arrayContaining([expect.stringMatching(/^sources\.yaml: sources\.0\.slug: must be at most 100 characters/)]));
    // The API's cap on a source's name (one rule for both, src/validation/fields.ts).
    const name = await problemsOf((seed) => seed.edit("sources.yaml", (doc) => (doc.sources[0].name = "x".repeat(201))));
    expect(name).toEqual(["sources.yaml: sources.0.name: must be at most 200 characters"]);
    const body = await problemsOf((seed) => seed.edit(ARTICLE_FILE, (doc) => (doc.body = "../../sources.yaml")));
    expect(body).toEqual([expect.stringMatching(/^articles\/soleimani-strike-push\.yaml: body: must be a file name/)]);
  });
});

describe.each(databaseKinds())("a cycle through sources already stored (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => (server = await startServer(kind)));
  afterAll(() => server?.close());

  test("new and existing sources closing a cycle are refused before the database sees them", async () => {
    const before = await server.db.prisma.source.findMany({ orderBy: { slug: "asc" } });
    const problems = await problemsOf((seed) =>
      seed.edit("sources.yaml", (doc) => {
        doc.sources.push(
          { slug: "new-a", name: "New A", kind: "OTHER", affiliation: "new-b" },
          { slug: "new-b", name: "New B", kind: "OTHER", affiliation: doc.sources[0].slug },
        );
        doc.sources[0].affiliation = "new-a";
      }),
    );
    expect(problems).toEqual([expect.stringMatching(/affiliation cycle/)]);
    expect(await server.db.prisma.source.findMany({ orderBy: { slug: "asc" } })).toEqual(before);
    // The unchanged seed still imports cleanly afterwards.
    const seed = copySeed();
    try {
      expect((await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false })).written).toBe(0);
    } finally {
      seed.remove();
    }
  });
});
