import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import type { SeedSet } from "../src/importer/seedSchema";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { ARTICLE_FILE, copySeed } from "./support/seedFiles";

const DAY_MS = 86_400_000;
// Links that only make sense after the event: the claim answers it, blames someone for it, threatens
// over it or denies it. (A justification, an announcement or a prediction may come before.)
const RESPONDING = new Set(["RESPONDS_TO", "ATTRIBUTES_RESPONSIBILITY", "THREATENS", "DENIES"]);
const SENTENCE_START = /^[“"‘(\[]?\p{Lu}/u;
const SENTENCE_END = /[.!?]["”’)\]]*$/u;

/** Where a seed breaks the date rule (README: "Dates and their precision"), one line per problem. */
function dateProblems(seed: SeedSet): string[] {
  const problems: string[] = [];
  for (const event of seed.events) {
    const iso = event.occurredAt.toISOString();
    if (event.precision === "UNKNOWN") problems.push(`${event.slug}: an event dated UNKNOWN`);
    if (event.precision === "MONTH" && iso.slice(8, 10) !== "01") problems.push(`${event.slug}: a MONTH event not on the 1st`);
    if (event.precision === "YEAR" && iso.slice(5, 10) !== "01-01") problems.push(`${event.slug}: a YEAR event not on 1 January`);
  }
  const events = new Map(seed.events.map((e) => [e.slug, e]));
  for (const article of seed.articles) {
    for (const claim of article.claims) {
      const said = claim.saidAt.getTime();
      // UNKNOWN stores the reporting article's publication date, an upper bound, never a specific date.
      if (claim.saidAtPrecision === "UNKNOWN" && said !== article.publishedAt.getTime()) problems.push(`${claim.key}: a specific date with UNKNOWN`);
      if (said > article.publishedAt.getTime()) problems.push(`${claim.key}: dated after its article`);
      for (const link of claim.events.filter((l) => RESPONDING.has(l.link))) {
        const event = events.get(link.event)!;
        // DAY dates are local calendar days: a statement in Washington can carry the calendar day before
        // an event in Baghdad that it answers. MONTH and YEAR values store their earliest possible day,
        // which must not precede the event.
        const slack = claim.saidAtPrecision === "DAY" && event.precision === "DAY" ? DAY_MS : 0;
        if (said < event.occurredAt.getTime() - slack) problems.push(`${claim.key}: dated before ${link.event}, which it responds to`);
      }
    }
  }
  return problems;
}

/** Claim texts that are not sentences, and quote spans that reach outside the quotation marks. */
function textProblems(seed: SeedSet): string[] {
  const problems: string[] = [];
  for (const article of seed.articles) {
    for (const claim of article.claims) {
      if (!SENTENCE_START.test(claim.text) || claim.text.split(/\s+/).length < 3) problems.push(`${claim.key}: text is not a sentence`);
      // A direct quote's text is the speaker's exact words, which may stop mid-sentence ("…,” he said).
      if (claim.kind !== "DIRECT_QUOTE" && !SENTENCE_END.test(claim.text)) problems.push(`${claim.key}: text is not a whole sentence`);
      if (claim.kind !== "DIRECT_QUOTE" && claim.kind !== "PARTIAL_QUOTE") continue;
      const before = article.bodyText.slice(0, claim.span.start).match(/[“”"](?=[^“”"]*$)/)?.[0];
      const inside = article.bodyText.slice(claim.span.start, claim.span.end);
      const after = article.bodyText.slice(claim.span.end).match(/[“”"]/)?.[0];
      if (before !== "“" || /[“”]/.test(inside) || !after || !/[”"]/.test(after)) problems.push(`${claim.key}: quote reaches outside the quoted words`);
    }
  }
  return problems;
}

describe("the seed's dates and texts", () => {
  test("every claim and event follows the date rule; every claim text is a sentence; quotes hold only quoted words", async () => {
    const seed = await loadSeed(DEFAULT_SEED_DIR);
    expect(dateProblems(seed)).toEqual([]);
    expect(textProblems(seed)).toEqual([]);
  });

  test("the checks catch what the audit found in the seed before it", async () => {
    const old = preAuditSeed();
    try {
      const seed = await loadSeed(old.dir);
      expect(dateProblems(seed)).toEqual([
        "kataib-hezbollah-k1-attack-allegation: a specific date with UNKNOWN",
        "us-officials-blame-iran-saudi-attack: dated before abqaiq-khurais-attack, which it responds to",
      ]);
      expect(textProblems(seed)).toEqual([
        "administration-force-protection-grounds: text is not a sentence",
        "administration-force-protection-grounds: text is not a whole sentence",
        "administration-force-protection-grounds: quote reaches outside the quoted words",
        "trump-wants-peace: text is not a sentence",
        "trump-wants-peace: quote reaches outside the quoted words",
      ]);
    } finally {
      old.remove();
    }
  });
});

/** The seed as it was before the editorial audit of issue 15, rebuilt from today's by undoing the corrections. */
function preAuditSeed() {
  const seed = copySeed();
  seed.edit("sources.yaml", (doc) => {
    doc.sources = doc.sources.filter((s: any) => !["unnamed-reports", "experts-close-to-administration"].includes(s.slug));
  });
  seed.edit("events.yaml", (doc) => {
    const designations = doc.events.find((e: any) => e.slug === "iran-shipping-metals-sanctions");
    Object.assign(designations, { title: "New U.S. sanctions touching Iran's steel and metals trade", occurredAt: "2019-12-01", precision: "MONTH" });
  });
  seed.edit(ARTICLE_FILE, (doc) => {
    doc.url = "https://nationalinterest.org/blog/middle-east-watch/inside-trump-administration-push-kill-iranian-general-soleimani-111346";
    delete doc.urlNote;
    delete doc.urlVerified;
    doc.claims = doc.claims.filter((c: any) => !["experts-hawks-overcoming-trump", "hook-objected-prisoner-exchange"].includes(c.key));
    for (const c of doc.claims) delete c.note;
    const claim = (key: string) => doc.claims.find((c: any) => c.key === key);
    Object.assign(claim("trump-wants-peace"), {
      text: "both he and Iran want “peace.”",
      quote: "told reporters on New Years Eve that both he and Iran want “peace.”",
      channel: "PRESS_BRIEFING",
    });
    Object.assign(claim("administration-force-protection-grounds"), {
      text: "force protection",
      quote: "The Trump administration leaned on “force protection” as its legal grounds for carrying out an act of war without congressional approval.",
    });
    Object.assign(claim("kataib-hezbollah-k1-attack-allegation"), { source: "us-officials", saidAt: "2019-12-29" });
    Object.assign(claim("us-officials-blame-iran-saudi-attack"), { saidAt: "2019-09-01" });
  });
  return seed;
}

describe.each(databaseKinds())("the corrected seed refreshes an existing database on %s", (kind) => {
  let server: TestServer;
  let seed: SeedSet;
  beforeAll(async () => {
    server = await startServer(kind, { seed: false });
    seed = await loadSeed(DEFAULT_SEED_DIR);
  });
  afterAll(() => server?.close());

  const CLAIM = `query($id: ID!) {
    claim(id: $id) {
      text channel note status attribution saidAt saidAtPrecision claimReview
      quote { exact } source { slug } article { id }
      history { aspect toStatus toAttribution changedBy }
    }
  }`;

  test("corrections land, editor verdicts stay, and a second refresh writes nothing", async () => {
    const old = preAuditSeed();
    try {
      await runImport(server.db.prisma, await loadSeed(old.dir), { dryRun: false });
    } finally {
      old.remove();
    }
    const editor = await createKey(server, "EDITOR", "Verdict desk");
    const { body } = await server.gql(`{ claims(first: 100) { nodes { id key article { id } } } }`);
    const id = (key: string) => body.data.claims.nodes.find((n: any) => n.key === `soleimani-strike-push/${key}`).id;
    const articleId = body.data.claims.nodes[0].article.id;
    const peace = id("trump-wants-peace");
    const allegation = id("kataib-hezbollah-k1-attack-allegation");
    const mutate = (name: string, input: Record<string, unknown>) =>
      server.gql(`mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { userErrors { code } } }`, { input }, editor);
    const evidence = ["https://www.presidency.ucsb.edu/documents/remarks-prior-new-years-eve-celebration-and-exchange-with-reporters-palm-beach-florida"];
    expect((await mutate("claimSetStatus", { claimId: peace, status: "MISLEADING", rationale: "He said Iran should want peace.", evidenceUrls: evidence })).body.data.claimSetStatus.userErrors).toEqual([]);
    expect((await mutate("claimSetAttribution", { claimId: allegation, attribution: "DISPUTED", rationale: "No accuser is named.", evidenceUrls: evidence })).body.data.claimSetAttribution.userErrors).toEqual([]);

    const result = await runImport(server.db.prisma, seed, { dryRun: false });
    expect(result.byEntity.claim.created).toBe(2);
    expect(result.byEntity.article).toMatchObject({ created: 0, updated: 1 });

    // The article is corrected in place (same record), its URL's status visible to readers.
    const article = (await server.gql(`query($id: ID!) { node(id: $id) { ... on Article { url urlVerified urlNote } } }`, { id: articleId })).body.data.node;
    expect(article).toEqual({ url: seed.articles[0].url, urlVerified: false, urlNote: seed.articles[0].urlNote });
    expect(article.urlNote).toMatch(/not checked/i);

    const seeded = (key: string) => seed.articles[0].claims.find((c) => c.key === key)!;
    const peaceNow = (await server.gql(CLAIM, { id: peace }, editor)).body.data.claim;
    expect(peaceNow).toMatchObject({
      text: seeded("trump-wants-peace").text,
      channel: "REMARKS_TO_REPORTERS",
      note: seeded("trump-wants-peace").note,
      quote: { exact: seeded("trump-wants-peace").quote },
      status: "MISLEADING",
      article: { id: articleId },
      claimReview: null, // no publishing organisation configured on this server
    });
    expect(peaceNow.history).toEqual([{ aspect: "VERIFICATION", toStatus: "MISLEADING", toAttribution: null, changedBy: "Verdict desk" }]);

    const allegationNow = (await server.gql(CLAIM, { id: allegation }, editor)).body.data.claim;
    expect(allegationNow).toMatchObject({ source: { slug: "unnamed-reports" }, attribution: "DISPUTED", saidAtPrecision: "UNKNOWN", saidAt: "2020-01-03T00:00:00.000Z" });
    expect(allegationNow.note).toMatch(/inferred/i);
    expect(allegationNow.history.map((h: any) => h.changedBy)).toEqual(["Verdict desk"]);

    const blame = (await server.gql(CLAIM, { id: id("us-officials-blame-iran-saudi-attack") })).body.data.claim;
    expect(blame).toMatchObject({ saidAt: "2019-09-14T00:00:00.000Z", saidAtPrecision: "MONTH" });

    const event = (await server.gql(`{ event(slug: "iran-shipping-metals-sanctions") { occurredAt occurredPrecision mentions { discrepancy } } }`)).body.data.event;
    expect(event).toMatchObject({ occurredAt: "2019-12-11T00:00:00.000Z", occurredPrecision: "DAY" });
    expect(event.mentions[0].discrepancy).toMatch(/steel/);

    const counts = (await server.gql(`{ claims(first: 100) { totalCount } articles { totalCount } }`)).body.data;
    expect(counts).toEqual({ claims: { totalCount: seed.articles[0].claims.length }, articles: { totalCount: 1 } });
    const unnamed = (await server.gql(`{ claims(filter: { actor: "unnamed reports" }) { nodes { key note } } }`)).body.data.claims.nodes;
    expect(unnamed.map((c: any) => c.key).sort()).toEqual([
      "soleimani-strike-push/hook-objected-prisoner-exchange",
      "soleimani-strike-push/kataib-hezbollah-k1-attack-allegation",
    ]);
    expect(unnamed.every((c: any) => c.note)).toBe(true);

    expect((await runImport(server.db.prisma, seed, { dryRun: false })).written).toBe(0);
  });
});
