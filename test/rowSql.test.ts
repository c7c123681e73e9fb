// Lookups by id read through hand-written SQL (src/*/sql.ts), not Prisma: every row must come back
// exactly as Prisma returns it — same fields, enums as strings, Dates, arrays, nulls.

import { createServices } from "../src/services";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

describe.each(databaseKinds())("rows read by id on %s match Prisma's", (kind) => {
  let server: TestServer;
  let services: ReturnType<typeof createServices>;

  beforeAll(async () => {
    server = await startServer(kind);
    services = createServices(server.db);
    const editor = await createKey(server, "EDITOR", "Row editor");
    const { body } = await server.gql(`{ claims(first: 3) { nodes { id } } }`);
    const [first, second, third] = body.data.claims.nodes.map((n: { id: string }) => n.id);
    // Verdict changes with and without rationale, evidence, statuses and attributions, and a retired claim.
    const steps: [string, Record<string, unknown>][] = [
      ["claimSetStatus", { claimId: first, status: "IN_REVIEW" }],
      ["claimSetStatus", { claimId: first, status: "MISLEADING", rationale: "Omits context.", evidenceUrls: ["https://example.org/a", "https://example.org/b"] }],
      ["claimSetAttribution", { claimId: second, attribution: "CONFIRMED_PRIMARY", rationale: "On the record." }],
      ["claimRetire", { claimId: third }],
    ];
    for (const [mutation, input] of steps) {
      const { body: result } = await server.gql(
        `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { userErrors { code message } } }`,
        { input },
        editor,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data[mutation].userErrors).toEqual([]);
    }
  });
  afterAll(() => server?.close());

  test("claims", async () => {
    const prisma = await server.db.prisma.claim.findMany();
    expect(prisma.some((c) => c.retiredAt !== null)).toBe(true);
    expect(byId(await services.claims.byIds(prisma.map((c) => c.id)))).toEqual(byId(prisma));
  });

  test("sources", async () => {
    const prisma = await server.db.prisma.source.findMany();
    expect(prisma.some((s) => s.affiliationId !== null) && prisma.some((s) => s.role === null)).toBe(true);
    expect(byId(await services.sources.byIds(prisma.map((s) => s.id)))).toEqual(byId(prisma));
  });

  test("articles, without their bodies", async () => {
    const prisma = await server.db.prisma.article.findMany({ omit: { body: true } });
    expect(byId(await services.articles.byIds(prisma.map((a) => a.id)))).toEqual(byId(prisma));
  });

  test("verdict changes, by id and as each claim's history (newest first)", async () => {
    const prisma = await server.db.prisma.verdictChange.findMany({ orderBy: [{ claimId: "asc" }, { createdAt: "desc" }, { id: "desc" }] });
    expect(prisma.length).toBeGreaterThanOrEqual(3);
    expect(prisma.some((v) => v.evidenceUrls.length === 2) && prisma.some((v) => v.toStatus === null)).toBe(true);
    expect(byId(await services.claims.verdictChangesByIds(prisma.map((v) => v.id)))).toEqual(byId(prisma));
    expect(await services.claims.historyFor([...new Set(prisma.map((v) => v.claimId))])).toEqual(prisma);
  });

  test("unknown ids give no rows", async () => {
    expect(await services.claims.byIds(["00000000-0000-7000-8000-000000000000"])).toEqual([]);
  });
});
