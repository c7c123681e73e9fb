import fc from "fast-check";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Attack round 6, findings 3 and 4: inputs the API's checks let through and PostgreSQL refused, so a
// client's mistake answered INTERNAL_SERVER_ERROR (data: null for the whole query).

/** Instants outside the years 1000–9999, as UTC reads them (an offset can carry a year across). */
const OUT_OF_RANGE = ["0000-06-01T00:00:00Z", "0999-12-31T23:59:59Z", "1000-01-01T00:30:00+01:00", "9999-12-31T23:00:00-05:00"];
const YEARS = /DateTime must be a date in the years 1000 to 9999 \(UTC\), got /;
const cursor = (...values: string[]) => Buffer.from(JSON.stringify(values)).toString("base64url");
const UUID = "c4e23581-72f3-4b50-9bdd-08ea512ae9db";
const codes = (body: any): string[] => (body.errors ?? []).map((e: any) => e.extensions?.code);

describe.each(databaseKinds())("dates and searches PostgreSQL would refuse (%s)", (kind) => {
  let server: TestServer;
  let editor: string;
  let claim: { id: string; article: { id: string }; source: { id: string } };
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0" } });
    editor = await createKey(server, "EDITOR", "Input desk");
    claim = (await server.gql(`{ claims(first: 1) { nodes { id article { id } source { id } } } }`)).body.data.claims.nodes[0];
  }, 60_000);
  afterAll(() => server?.close());

  // Year 0000 passed the DateTime scalar and PostgreSQL failed 22008 ("date/time field value out of range").
  const reads: [string, string][] = [
    ["claims(filter: { saidAfter })", `query($d: DateTime) { claims(filter: { saidAfter: $d }) { totalCount nodes { id } } }`],
    ["claimStats(filter: { saidBefore })", `query($d: DateTime) { claimStats(filter: { saidBefore: $d }) { total } }`],
    ["events(filter: { from })", `query($d: DateTime) { events(filter: { from: $d }) { nodes { id } } }`],
    ["events(filter: { to })", `query($d: DateTime) { events(filter: { to: $d }) { nodes { id } } }`],
  ];
  test.each(reads)("%s outside the years 1000–9999 is BAD_USER_INPUT naming the range", async (_name, query) => {
    for (const d of OUT_OF_RANGE) {
      const { status, body } = await server.gql(query, { d });
      expect([d, status, codes(body)]).toEqual([d, 400, ["BAD_USER_INPUT"]]);
      expect(body.errors[0].message).toMatch(YEARS);
    }
  });

  test("the years' first and last instants are accepted; a literal out of range fails validation with the same words", async () => {
    for (const d of ["1000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59+00:00"]) {
      for (const [, query] of reads) expect([d, query, (await server.gql(query, { d })).body.errors]).toEqual([d, query, undefined]);
    }
    const { status, body } = await server.gql(`{ claims(filter: { saidAfter: "0000-06-01T00:00:00Z" }) { totalCount } }`);
    expect([status, codes(body)]).toEqual([400, ["GRAPHQL_VALIDATION_FAILED"]]);
    expect(body.errors[0].message).toMatch(YEARS);
  });

  test.each([
    ["claims NEWEST", `query($a: String) { claims(after: $a) { nodes { id } } }`, cursor("0000-01-03T00:00:00.000Z", UUID)],
    ["claims OLDEST", `query($a: String) { claims(after: $a, orderBy: OLDEST) { nodes { id } } }`, cursor("0000-01-03T00:00:00.000Z", UUID)],
    ["claims STATUS", `query($a: String) { claims(after: $a, orderBy: STATUS) { nodes { id } } }`, cursor("UNVERIFIED", "0000-01-03T00:00:00.000Z", UUID)],
    ["claims ACTOR", `query($a: String) { claims(after: $a, orderBy: ACTOR) { nodes { id } } }`, cursor("someone", "0000-01-03T00:00:00.000Z", UUID)],
    ["events", `query($a: String) { events(after: $a) { nodes { id } } }`, cursor("0000-01-03T00:00:00.000Z", UUID)],
    ["articles", `query($a: String) { articles(after: $a) { nodes { id } } }`, cursor("0000-01-03T00:00:00.000Z", UUID)],
  ])("a forged %s cursor dated year 0000 is BAD_USER_INPUT on after", async (_name, query, a) => {
    const { body } = await server.gql(query, { a });
    expect(codes(body)).toEqual(["BAD_USER_INPUT"]);
    expect(body.errors[0].extensions.argument).toBe("after");
  });

  test("mutations refuse a date outside the years 1000–9999 and change nothing", async () => {
    const n = Date.now();
    const mutations: [string, string, Record<string, unknown>][] = [
      ["articleCreate", `mutation($i: ArticleCreateInput!) { articleCreate(input: $i) { article { id } } }`,
        { url: `https://example.org/y0/${n}`, title: `Y0 ${n}`, publication: "P", authors: ["A"], body: "He said so." }],
      ["articleUpdate", `mutation($i: ArticleUpdateInput!) { articleUpdate(input: $i) { article { id } } }`, { articleId: claim.article.id }],
      ["eventCreate", `mutation($i: EventCreateInput!) { eventCreate(input: $i) { event { id } } }`,
        { slug: `y0-${n}`, title: "Y0", description: "d", kind: "OTHER", occurredPrecision: "DAY" }],
      ["claimCreate", `mutation($i: ClaimCreateInput!) { claimCreate(input: $i) { claim { id } } }`,
        { articleId: claim.article.id, sourceId: claim.source.id, kind: "ALLEGATION", text: "Y0" }],
      ["claimUpdate", `mutation($i: ClaimUpdateInput!) { claimUpdate(input: $i) { claim { id } } }`, { claimId: claim.id, saidAtPrecision: "DAY" }],
    ];
    const dateField: Record<string, string> = { articleCreate: "publishedAt", articleUpdate: "publishedAt", eventCreate: "occurredAt", claimCreate: "saidAt", claimUpdate: "saidAt" };
    const before = (await server.gql(`{ claims(first: 0) { totalCount } events(first: 0) { totalCount } articles(first: 0) { totalCount } }`)).body.data;
    for (const [name, query, input] of mutations) {
      for (const d of OUT_OF_RANGE) {
        const { body } = await server.gql(query, { i: { ...input, [dateField[name]]: d } }, editor);
        expect([name, d, codes(body)]).toEqual([name, d, ["BAD_USER_INPUT"]]);
        expect(body.errors[0].message).toMatch(YEARS);
      }
    }
    expect((await server.gql(`{ claims(first: 0) { totalCount } events(first: 0) { totalCount } articles(first: 0) { totalCount } }`)).body.data).toEqual(before);
  });

  // websearch_to_tsquery stacks a NOT per "-" and fails past 32 ("tsquery stack too small", XX000).
  const SEARCHES = [
    `query($s: String) { claims(filter: { search: $s }) { totalCount nodes { id } } }`,
    `query($s: String) { claimStats(filter: { search: $s }) { total } }`,
    `query($s: String) { claimStats(filter: { search: $s }, groupBySource: true) { total } }`,
  ];
  test.each([
    ["33 dashes", "-".repeat(33)],
    ["200 dashes", "-".repeat(200)],
    ['"- " ×40', "- ".repeat(40).trim()],
    ["an OR and an AND below 31", `soleimani or strike ${"-".repeat(31)}iran`],
    ["dashes between operators", "-(-!-&-|-<-)".repeat(5)],
    ["11 dashes", "-".repeat(11)],
  ])("a search of %s is BAD_USER_INPUT on filter.search, for claims and claimStats alike", async (_name, s) => {
    for (const query of SEARCHES) {
      const { body } = await server.gql(query, { s });
      expect([query, codes(body)]).toEqual([query, ["BAD_USER_INPUT"]]);
      expect(body.errors[0].extensions.argument).toBe("filter.search");
      expect(body.errors[0].message).toMatch(/at most 10 exclusions \(-\) with no word between them, got \d+/);
    }
  });

  test("ten exclusions in a row, and dashes inside words, still search", async () => {
    for (const s of ["-".repeat(10), `iran ${"- ".repeat(10)}strike`, "well--known -iran", "-".repeat(10) + "a" + "-".repeat(10)]) {
      for (const query of SEARCHES) expect([s, query, (await server.gql(query, { s })).body.errors]).toEqual([s, query, undefined]);
    }
  });

  // The other searches are ILIKE with wildcards escaped: any string is a plain substring.
  test("article and source searches take the same strings without error", async () => {
    for (const s of ["-".repeat(200), "- ".repeat(40).trim(), "%_\\"]) {
      const { body } = await server.gql(`query($s: String) { articles(filter: { search: $s }) { nodes { id } } sources(filter: { search: $s }) { nodes { id } } }`, { s });
      expect([s, body.errors]).toEqual([s, undefined]);
    }
  });

  // Random strings of what websearch_to_tsquery treats as operators or skips, with a few words:
  // none may reach PostgreSQL and fail there.
  test("no search made of operators and a few words answers INTERNAL_SERVER_ERROR", async () => {
    // Mostly exclusions (a uniform pick of characters rarely stacked 31 of them), some other operators, a few words.
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom("-", "- ", "-!", "(-", "-\u3000"), weight: 30 },
      { arbitrary: fc.constantFrom(" ", "!", "&", "|", "(", ")", "<", ">", ":", "*", '"', "'", "\\"), weight: 6 },
      { arbitrary: fc.constantFrom("a", "or", "1", "é"), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 120, size: "max" }), async (pieces) => {
        const s = pieces.join("").slice(0, 200);
        for (const query of SEARCHES.slice(0, 2)) {
          const { body } = await server.gql(query, { s });
          expect([s, codes(body).filter((c) => c !== "BAD_USER_INPUT")]).toEqual([s, []]);
        }
      }),
      { numRuns: 150, seed: 6 },
    );
  });
});
