import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { writeSyntheticSeed } from "../bench/lib/syntheticSeed";
import { toGlobalId } from "../src/graphql/globalId";
import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { createKey, startServer, type TestServer } from "./support/harness";
import { ARTICLE_FILE, copySeed } from "./support/seedFiles";

// PGlite has one connection, so nothing can interleave there: this race needs PostgreSQL.
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const SET_STATUS = `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { claim { status } userErrors { code } } }`;

describePg("a seed refresh racing editors' verdicts (PostgreSQL)", () => {
  let server: TestServer;
  let editor: string;
  let inReview: ReturnType<typeof copySeed>;
  beforeAll(async () => {
    server = await startServer("postgres", { seed: false });
    editor = await createKey(server, "EDITOR", "Verdict desk");
    inReview = copySeed();
    inReview.edit(ARTICLE_FILE, (doc) => {
      for (const claim of doc.claims) claim.verdict = { status: "IN_REVIEW" };
    });
  });
  afterAll(async () => {
    inReview?.remove();
    await server?.close();
  });

  test("every acknowledged verdict is the final status and every claim's history chains, over 20 races", async () => {
    const [original, reviewing] = await Promise.all([loadSeed(DEFAULT_SEED_DIR), loadSeed(inReview.dir)]);
    const prisma = server.db.prisma;
    for (let round = 0; round < 20; round++) {
      // Start each round from a seed that owns every verdict, with an empty history.
      await prisma.$executeRaw`DELETE FROM verdict_change`;
      await prisma.$executeRaw`UPDATE claim SET status = 'UNVERIFIED', status_origin = 'SEED'`;
      await runImport(prisma, reviewing, { dryRun: false });
      const claims = await prisma.claim.findMany({ where: { retiredAt: null }, select: { id: true, key: true } });
      expect(claims.length).toBeGreaterThanOrEqual(29);
      const { body } = await server.gql(`{ claims(first: 100) { nodes { id key } } }`);
      const globalId = new Map<string, string>(body.data.claims.nodes.map((n: { id: string; key: string }) => [n.key, n.id]));

      // The original seed resets every IN_REVIEW to UNVERIFIED while editors set TRUE.
      const refresh = runImport(prisma, original, { dryRun: false });
      const verdicts = await Promise.all(
        claims.map((c) =>
          server.gql(SET_STATUS, { input: { claimId: globalId.get(c.key), status: "TRUE", rationale: "checked", evidenceUrls: ["https://example.org/e"] } }, editor),
        ),
      );
      await refresh;
      for (const v of verdicts) expect(v.body.data.claimSetStatus).toEqual({ claim: { status: "TRUE" }, userErrors: [] });

      const final = await prisma.claim.findMany({ where: { id: { in: claims.map((c) => c.id) } }, select: { id: true, status: true, statusOrigin: true } });
      for (const claim of final) expect({ round, ...claim }).toEqual({ round, id: claim.id, status: "TRUE", statusOrigin: "EDITOR" });

      const history = await prisma.verdictChange.findMany({ where: { aspect: "VERIFICATION" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      for (const claim of final) {
        const rows = history.filter((h) => h.claimId === claim.id);
        let status = "UNVERIFIED";
        for (const row of rows) {
          expect({ round, claim: claim.id, from: row.fromStatus }).toEqual({ round, claim: claim.id, from: status });
          status = row.toStatus!;
        }
        expect(status).toBe("TRUE");
      }
    }
  }, 120_000);
});

/** A one-article synthetic seed of `claims` claims; `inReview` gives every claim a seed verdict IN_REVIEW; `revised` rewords every 10th. */
function bigArticleSeed(claims: number, options: { inReview: boolean; revised: boolean }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "claimgraph-race-"));
  writeSyntheticSeed(dir, { articles: 1, claimsPerArticle: claims, sources: 50, ...(options.revised ? { variant: " (revised)", changes: (_, c) => c % 10 === 0 } : {}) });
  if (options.inReview) {
    const file = path.join(dir, "articles", "article-0.yaml");
    const doc = yaml.load(readFileSync(file, "utf8")) as { claims: { verdict?: unknown }[] };
    for (const claim of doc.claims) claim.verdict = { status: "IN_REVIEW" };
    writeFileSync(file, yaml.dump(doc));
  }
  return dir;
}

describePg("verdicts sent all through a long refresh (PostgreSQL)", () => {
  const CLAIMS = 4_000;
  const EDITORS = 30;
  let server: TestServer;
  let editor: string;
  const dirs: string[] = [];
  beforeAll(async () => {
    server = await startServer("postgres", { seed: false });
    editor = await createKey(server, "EDITOR", "Verdict desk");
  }, 60_000);
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  test("30 editors sending verdicts while a refresh resets every verdict and moves every quote: 0 failures, each editor's last verdict is final, histories chain", async () => {
    dirs.push(bigArticleSeed(CLAIMS, { inReview: true, revised: false }), bigArticleSeed(CLAIMS, { inReview: false, revised: true }));
    const [reviewing, revised] = await Promise.all(dirs.map((d) => loadSeed(d)));
    const prisma = server.db.prisma;
    await runImport(prisma, reviewing, { dryRun: false });
    // Claims spread over the article: each one's quote moves (every 10th claim before it is reworded).
    const targets = await prisma.claim.findMany({
      where: { key: { in: Array.from({ length: EDITORS }, (_, i) => `article-0/claim-${Math.floor(((i + 1) * CLAIMS) / (EDITORS + 1))}`) } },
      select: { id: true },
    });
    expect(targets).toHaveLength(EDITORS);

    let refreshing = true;
    const refresh = runImport(prisma, revised, { dryRun: false }).finally(() => (refreshing = false));
    const failures: unknown[] = [];
    let sent = 0;
    const lastAcknowledged = new Map<string, string>();
    // Each editor keeps sending verdicts on its claim for as long as the refresh runs, then one more.
    await Promise.all(
      targets.map(async ({ id }, i) => {
        let n = i;
        do {
          const status = n++ % 2 ? "TRUE" : "FALSE";
          const { status: http, body } = await server.gql(SET_STATUS, { input: { claimId: toGlobalId("Claim", id), status, rationale: "checked", evidenceUrls: ["https://example.org/e"] } }, editor);
          sent++;
          if (http !== 200 || body.errors || body.data.claimSetStatus.claim?.status !== status) failures.push({ http, body });
          else lastAcknowledged.set(id, status);
        } while (refreshing);
      }),
    );
    const result = await refresh;
    expect(result.byEntity.claim.updated).toBeGreaterThan(CLAIMS * 0.9);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(EDITORS);

    const final = await prisma.claim.findMany({ where: { id: { in: targets.map((t) => t.id) } }, select: { id: true, status: true, statusOrigin: true } });
    for (const claim of final) expect(claim).toEqual({ id: claim.id, status: lastAcknowledged.get(claim.id), statusOrigin: "EDITOR" });
    const history = await prisma.verdictChange.findMany({ where: { aspect: "VERIFICATION", claimId: { in: targets.map((t) => t.id) } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    for (const claim of final) {
      let status = "UNVERIFIED";
      for (const row of history.filter((h) => h.claimId === claim.id)) {
        expect({ claim: claim.id, from: row.fromStatus }).toEqual({ claim: claim.id, from: status });
        status = row.toStatus!;
      }
      expect(status).toBe(claim.status);
    }
  }, 300_000);
});
