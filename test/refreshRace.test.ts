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
