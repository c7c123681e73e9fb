import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../src/config";
import { openDatabase, type Database } from "../src/db/database";
import { applyMigrations } from "../src/db/migrations";
import { IMPORT_LOCK_KEY, runImport } from "../src/importer/importer";
import { SeedValidationError, loadSeed } from "../src/importer/loadSeed";
import { createLogger } from "../src/logger";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { runCli } from "./support/cli";
import { killImportMidTransaction, waitForImportLockReleased } from "./support/importLock";
import { createKey, createPostgresDatabase, databaseKinds, startServer, type TestServer } from "./support/harness";
import { ARTICLE_FILE, copySeed } from "./support/seedFiles";

const DOD_KEY = "soleimani-strike-push/dod-decisive-defensive-action";

/** Row counts of every table: equal fingerprints mean the import changed nothing. */
async function fingerprint(db: Database) {
  const p = db.prisma;
  const [sources, aliases, events, articles, claims, links, verdicts, runs, updated] = await Promise.all([
    p.source.count(),
    p.sourceAlias.count(),
    p.event.count(),
    p.article.count(),
    p.claim.count(),
    p.claimEvent.count(),
    p.verdictChange.count(),
    p.importRun.count(),
    p.claim.aggregate({ _max: { updatedAt: true } }),
  ]);
  return { sources, aliases, events, articles, claims, links, verdicts, runs, lastUpdate: updated._max.updatedAt?.getTime() ?? null };
}

describe.each(databaseKinds())("seed import on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  beforeAll(async () => {
    server = await startServer(kind);
    editor = await createKey(server, "EDITOR", "Verdict desk");
  });
  afterAll(() => server?.close());

  test("the seed loads every attributed claim, source and event", async () => {
    const seed = await loadSeed(DEFAULT_SEED_DIR);
    const data = (await server.gql(`{ claims(first: 100) { totalCount } sources(first: 100) { totalCount } events(first: 100) { totalCount } }`)).body.data;
    expect(data.claims.totalCount).toBe(seed.articles[0].claims.length);
    expect(data.claims.totalCount).toBeGreaterThanOrEqual(29);
    expect(data.sources.totalCount).toBe(seed.sources.length);
    expect(data.events.totalCount).toBe(seed.events.length);
  });

  test("a second run writes 0 rows and records the run", async () => {
    const before = await fingerprint(server.db);
    const result = await runImport(server.db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
    expect(result.written).toBe(0);
    expect(result.unchanged).toBeGreaterThan(100);
    const after = await fingerprint(server.db);
    expect(after).toEqual({ ...before, runs: before.runs + 1 });
    const run = await server.db.prisma.importRun.findFirst({ orderBy: { startedAt: "desc" } });
    expect(run).toMatchObject({ outcome: "SUCCEEDED", created: 0, updated: 0, retired: 0, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  test("a verdict set through the API survives a refresh whose seed says otherwise; seed-owned verdicts follow the seed", async () => {
    const { body } = await server.gql(`{ claims(first: 100) { nodes { id key } } }`);
    const id = (key: string) => body.data.claims.nodes.find((n: any) => n.key === key).id;
    const set = await server.gql(
      `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { userErrors { code } } }`,
      { input: { claimId: id(DOD_KEY), status: "UNSUBSTANTIATED", rationale: "No evidence of imminence was made public.", evidenceUrls: ["https://example.org/e"] } },
      editor,
    );
    expect(set.body.data.claimSetStatus.userErrors).toEqual([]);

    const seed = copySeed();
    try {
      seed.edit(ARTICLE_FILE, (doc) => {
        const verdict = { status: "TRUE", rationale: "seed says so", evidenceUrls: ["https://example.org/seed"] };
        doc.claims.find((c: any) => c.key === "dod-decisive-defensive-action").verdict = verdict;
        doc.claims.find((c: any) => c.key === "trump-iran-never-won-a-war").verdict = { status: "NOT_CHECKABLE", rationale: "opinion", evidenceUrls: ["https://example.org/o"] };
        doc.claims.find((c: any) => c.key === "trump-iran-never-won-a-war").attributionVerdict = { status: "CONFIRMED_PRIMARY", rationale: "his post", evidenceUrls: ["https://example.org/p"] };
      });
      const result = await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false });
      expect(result.byEntity.verdict.created).toBe(2);

      const q = `query($id: ID!) { claim(id: $id) { status attribution history { changedBy toStatus toAttribution } } }`;
      const dod = (await server.gql(q, { id: id(DOD_KEY) }, editor)).body.data.claim;
      expect(dod.status).toBe("UNSUBSTANTIATED");
      expect(dod.history.map((h: any) => h.changedBy)).toEqual(["Verdict desk"]);
      const trump = (await server.gql(q, { id: id("soleimani-strike-push/trump-iran-never-won-a-war") }, editor)).body.data.claim;
      expect(trump).toMatchObject({ status: "NOT_CHECKABLE", attribution: "CONFIRMED_PRIMARY" });
      expect(trump.history.every((h: any) => h.changedBy === "seed")).toBe(true);

      // Refreshing the same seed again is a no-op, and the editor's verdict still stands.
      const again = await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false });
      expect(again.written).toBe(0);
      expect((await server.gql(q, { id: id(DOD_KEY) })).body.data.claim.status).toBe("UNSUBSTANTIATED");
    } finally {
      seed.remove();
    }
    // Back to the project's seed: the seed-owned verdicts return to UNVERIFIED, the editor's stays.
    await runImport(server.db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
    const dod = await server.db.prisma.claim.findUnique({ where: { key: DOD_KEY } });
    expect(dod?.status).toBe("UNSUBSTANTIATED");
  });

  test("a claim that disappears from the seed is retired with its history, and comes back if restored", async () => {
    const seed = copySeed();
    const key = "soleimani-strike-push/brodsky-closed-mouth-emoji";
    try {
      seed.edit(ARTICLE_FILE, (doc) => {
        doc.claims = doc.claims.filter((c: any) => c.key !== "brodsky-closed-mouth-emoji");
      });
      const result = await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false });
      expect(result.retired).toBe(1);
      const retired = await server.db.prisma.claim.findUnique({ where: { key } });
      expect(retired?.retiredAt).not.toBeNull();
      const visible = await server.gql(`{ claims(filter: { actor: "Brodsky" }) { totalCount } all: claims(filter: { actor: "Brodsky", includeRetired: true }) { totalCount } }`);
      expect(visible.body.data.all.totalCount - visible.body.data.claims.totalCount).toBe(1);
    } finally {
      seed.remove();
    }
    await runImport(server.db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
    expect((await server.db.prisma.claim.findUnique({ where: { key } }))?.retiredAt).toBeNull();
  });

  test("a stored claim's changed event link is replaced, and the refresh after it writes nothing", async () => {
    const key = "soleimani-strike-push/administration-force-protection-grounds";
    const links = async () =>
      (await server.db.prisma.claimEvent.findMany({ where: { claim: { key } }, select: { linkType: true, event: { select: { slug: true } } } })).map(
        (l) => `${l.event.slug} ${l.linkType}`,
      );
    const original = await links();
    expect(original).toHaveLength(1);
    const seed = copySeed();
    try {
      let event = "";
      seed.edit(ARTICLE_FILE, (doc) => {
        const claim = doc.claims.find((c: any) => `soleimani-strike-push/${c.key}` === key);
        event = claim.events[0].event;
        claim.events = [{ event, link: claim.events[0].link === "ABOUT" ? "RESPONDS_TO" : "ABOUT" }];
      });
      const result = await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false });
      expect(result.byEntity.claimEvent).toMatchObject({ created: 1, deleted: 1, updated: 0 });
      expect(await links()).not.toEqual(original);
      expect(await links()).toEqual([expect.stringMatching(new RegExp(`^${event} `))]);
      expect((await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false })).written).toBe(0);
    } finally {
      seed.remove();
    }
    await runImport(server.db.prisma, await loadSeed(DEFAULT_SEED_DIR), { dryRun: false });
    expect(await links()).toEqual(original);
  });

  test("a dry run reports changes and writes nothing", async () => {
    const seed = copySeed();
    try {
      seed.edit("sources.yaml", (doc) => {
        doc.sources.find((s: any) => s.slug === "brian-hook").role = "Special Representative for Iran and Senior Policy Advisor";
      });
      const before = await fingerprint(server.db);
      const result = await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: true });
      expect(result.changes).toEqual([{ entity: "source", action: "update", key: "brian-hook", fields: ["role"] }]);
      expect(await fingerprint(server.db)).toEqual(before);
      expect((await server.db.prisma.source.findUnique({ where: { slug: "brian-hook" } }))?.role).toBe("U.S. Special Representative for Iran");
    } finally {
      seed.remove();
    }
  });

  test.each([
    ["a missing field", (doc: any) => delete doc.claims[3].kind, /articles\/soleimani-strike-push\.yaml: claims\.3\.kind: /],
    ["a quote not in the article", (doc: any) => (doc.claims[1].quote = "words that were never written"), /claims\.1 \(congressional-leaders-not-briefed\)\.quote: not found verbatim in the article body/],
    ["an unknown source", (doc: any) => (doc.claims[0].source = "nobody-at-all"), /claims\.0 \(graham-briefed-on-plan\)\.source: unknown source "nobody-at-all"/],
    ["a duplicate key", (doc: any) => (doc.claims[2].key = doc.claims[0].key), /claims\.2\.key: duplicate key "graham-briefed-on-plan"/],
    ["a quote's text that is not the article's words", (doc: any) => (doc.claims[2].text = "legal cover"), /claims\.2 \(administration-force-protection-grounds\)\.text: a quote's text must be the article's exact words/],
  ])("a seed with %s fails with a precise message and changes nothing", async (_, change, message) => {
    const seed = copySeed();
    try {
      seed.edit(ARTICLE_FILE, change);
      const before = await fingerprint(server.db);
      const error = await loadSeed(seed.dir).then(
        () => null,
        (err) => err,
      );
      expect(error).toBeInstanceOf(SeedValidationError);
      expect(error.problems).toEqual([expect.stringMatching(message)]);
      expect(await fingerprint(server.db)).toEqual(before);
    } finally {
      seed.remove();
    }
  });

  test("every problem of a broken seed is reported at once", async () => {
    const seed = copySeed();
    try {
      seed.edit("sources.yaml", (doc) => {
        doc.sources[0].kind = "ALIEN";
        doc.sources[1].affiliation = "no-such-org";
      });
      seed.edit("events.yaml", (doc) => (doc.events[0].occurredAt = "last tuesday"));
      const error = await loadSeed(seed.dir).catch((e) => e);
      expect(error.problems).toEqual([
        expect.stringMatching(/^sources\.yaml: sources\.0\.kind: /),
        expect.stringMatching(/^events\.yaml: events\.0\.occurredAt: /),
      ]);
    } finally {
      seed.remove();
    }
  });
});

describe("seed CLI", () => {
  const env = (extra: Record<string, string>) => ({ ...extra });

  test("bad flags and a bad cron expression exit 2 with a usage line", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "claimgraph-cli-"));
    try {
      const flag = await runCli("src/importer/cli.ts", ["--frm", "x"], env({ PGLITE_DATA_DIR: dataDir }));
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(/USAGE: Unknown option '--frm'/);
      const cron = await runCli("src/importer/cli.ts", ["--cron", "every tuesday"], env({ PGLITE_DATA_DIR: dataDir }));
      expect(cron.code).toBe(2);
      expect(cron.stderr).toMatch(/--cron "every tuesday" is not a valid cron expression/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("a second process on the same embedded database is refused", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "claimgraph-cli-"));
    try {
      const config = loadConfig({ PGLITE_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
      const db = await openDatabase(config, createLogger("silent"));
      try {
        const second = await runCli("src/importer/cli.ts", [], env({ PGLITE_DATA_DIR: dataDir }));
        expect(second.code).toBe(1);
        expect(second.stderr).toMatch(/is in use by process \d+/);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg("seed CLI on PostgreSQL: locking and kills", () => {
  let database: { url: string; drop: () => Promise<void> };
  let client: pg.Client;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const db = await openDatabase(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: "silent" }), createLogger("silent"));
    await db.withSession((s) => applyMigrations(s));
    await db.close();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const count = async (table: string) => Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  test("a run while another holds the import lock exits at once with 'already running'", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock($1::bigint)", [IMPORT_LOCK_KEY]);
      const run = await runCli("src/importer/cli.ts", [], { DATABASE_URL: database.url });
      expect(run.code).toBe(75);
      expect(run.stderr).toMatch(/IMPORT_ALREADY_RUNNING: another seed import is already running/);
      expect(await count("claim")).toBe(0);
      await holder.query("ROLLBACK");
    } finally {
      await holder.end();
    }
  });

  test("a run killed mid-transaction leaves no partial data and no lock", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await killImportMidTransaction(client, { DATABASE_URL: database.url }, [], Math.random() * 30);
      expect(result.signal).toBe("SIGKILL");
      for (const table of ["source", "source_alias", "event", "article", "claim", "claim_event", "import_run"]) {
        expect([table, await count(table)]).toEqual([table, 0]);
      }
      expect(await waitForImportLockReleased(client)).toBe(0);
    }
  });

  test("after the kills, a normal run completes and a second one writes nothing", async () => {
    const first = await runCli("src/importer/cli.ts", [], { DATABASE_URL: database.url });
    expect(first.code).toBe(0);
    expect(await count("claim")).toBeGreaterThanOrEqual(29);
    const second = await runCli("src/importer/cli.ts", [], { DATABASE_URL: database.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/wrote 0 row\(s\).*already matches the seed/);
  });

  test("a broken seed set exits 1, names the problem and records nothing", async () => {
    const seed = copySeed();
    try {
      seed.edit(ARTICLE_FILE, (doc) => (doc.claims[0].source = "nobody-at-all"));
      const runs = await count("import_run");
      const run = await runCli("src/importer/cli.ts", ["--from", seed.dir], { DATABASE_URL: database.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/SEED_INVALID: .*unknown source "nobody-at-all"/s);
      expect(await count("import_run")).toBe(runs);
    } finally {
      seed.remove();
    }
  });
});
