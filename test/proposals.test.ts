import { extractProposals } from "../src/proposal/extract";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// A wire-style story unlike the seed article: quotes continued across sentences, pronouns,
// "the ministry", "according to", a trailing attribution, a mixed quote and an unattributed scare quote.
const STORY = `The Health Ministry said on Tuesday that 42 people had died in the floods. The ministry added that rescue teams were still searching villages near the river.

“We are doing everything we can,” said Maria Lopez, the region’s governor. “But the roads are cut.” She urged residents to stay indoors.

Opposition leader Tom Baker accused the government of ignoring warnings from scientists. “They were told months ago,” he said.

According to the National Weather Service, more rain is expected on Thursday. Prices rose 3% in May, the statistics office reported.

Officials have not said how many homes were destroyed. The so-called “recovery fund” has not been set up. The mayor, who took office in January, told reporters the city would need “years, not months” to recover.`;

describe("the extractor on unseen copy", () => {
  const proposals = extractProposals(STORY, [
    { id: "ministry", name: "Ministry of Health", kind: "GOVERNMENT_AGENCY", aliases: ["Health Ministry"] },
    { id: "lopez", name: "Maria Lopez", kind: "PERSON", aliases: [] },
  ]);
  const at = (words: string) => proposals.find((p) => p.text.includes(words));

  test("direct quotes, with the speaker after the quote, continued, or as a pronoun", () => {
    expect(at("We are doing everything")).toMatchObject({ pattern: "DIRECT", kind: "DIRECT_QUOTE", text: "We are doing everything we can" });
    expect(at("We are doing everything")!.speaker).toMatchObject({ sourceId: "lopez", resolution: "NAME" });
    expect(at("roads are cut")!.speaker).toMatchObject({ sourceId: "lopez", resolution: "CONTINUATION" });
    expect(at("told months ago")!.speaker).toMatchObject({ sourceId: null, resolution: "PRONOUN", name: "Tom Baker", kind: "PERSON" });
    expect(STORY.slice(at("We are doing")!.start, at("We are doing")!.end)).toBe("We are doing everything we can");
  });

  test("indirect speech, descriptions, allegations, according to and trailing attributions", () => {
    expect(at("42 people had died")).toMatchObject({ pattern: "INDIRECT", kind: "PARAPHRASE", speaker: { sourceId: "ministry", resolution: "NAME" } });
    expect(at("rescue teams")!.speaker).toMatchObject({ sourceId: "ministry", resolution: "DESCRIPTION" });
    // An order or a request is not a claim.
    expect(at("stay indoors")).toBeUndefined();
    expect(at("ignoring warnings")).toMatchObject({ kind: "ALLEGATION", speaker: { resolution: "NEW_SOURCE", name: "Tom Baker", kind: "PERSON" } });
    expect(at("more rain")!.speaker).toMatchObject({ resolution: "NEW_SOURCE", name: "National Weather Service" });
    expect(at("Prices rose")!.text).toBe("Prices rose 3% in May, the statistics office reported.");
  });

  test("a mixed quote is proposed as a partial quote; scare quotes and things not said are not", () => {
    expect(at("years, not months")).toMatchObject({ pattern: "MIXED", kind: "PARTIAL_QUOTE" });
    expect(at("recovery fund")).toBeUndefined();
    expect(at("how many homes")).toBeUndefined();
    for (const p of proposals) expect(p.confidence).toBeGreaterThan(0);
  });
});

test("a full stop inside closing marks ends the sentence; ages, refusals and exclamations are handled", () => {
  const text =
    "“This is unacceptable,” Smith, 54, told the BBC on Monday. He declined to comment.\n\n" +
    "Senator Jane Smith wrote on X that the bill was “dead on arrival.” The bank’s chief executive, Paul Green, insisted the merger would go ahead.\n\n" +
    "“The war must stop now!” Lee Wong wrote on Friday. “Stop the war!” he wrote.";
  const found = extractProposals(text, []);
  const at = (words: string) => found.find((p) => p.text.includes(words));
  // One person per surname in an article: "Smith" is the Jane Smith it names.
  expect(at("unacceptable")!.speaker).toMatchObject({ name: "Jane Smith", kind: "PERSON" });
  expect(at("declined")).toBeUndefined();
  expect(at("dead on arrival")).toMatchObject({ pattern: "MIXED", text: "Senator Jane Smith wrote on X that the bill was “dead on arrival.”" });
  expect(at("merger")!.pattern).toBe("INDIRECT");
  expect(at("must stop")).toMatchObject({ pattern: "DIRECT", text: "The war must stop now!", speaker: { name: "Lee Wong" } });
  // An order is no claim (GUIDELINES.md).
  expect(at("Stop the war")).toBeUndefined();
});

describe.each(databaseKinds())("claim proposals on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let articleId: string;
  const PROPOSALS = `query($id: ID!) { article(id: $id) { claimProposals {
    id text pattern kind confidence resolution speaker { start end text } source { slug } proposedSource { name kind role }
    quote { start end exact prefix suffix }
  } } }`;
  const list = async () => (await server.gql(PROPOSALS, { id: articleId })).body.data.article.claimProposals as any[];

  beforeAll(async () => {
    server = await startServer(kind);
    editor = await createKey(server, "EDITOR", "Proposal desk");
    const body =
      "Brian Hook warned on Monday that sanctions would tighten. “Iran will have to choose,” the envoy said.\n\n" +
      "The State Department said it had no comment. The department later announced new measures against shipping firms.\n\n" +
      "“We will not back down,” said Hossein Amiri, a spokesman for the foreign ministry in Tehran.";
    const created = await server.gql(
      `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } userErrors { code } } }`,
      { input: { url: "https://example.org/iran-sanctions", title: "Sanctions Tighten", publication: "Example Wire", authors: ["B. Writer"], publishedAt: "2026-11-02T00:00:00Z", body } },
      editor,
    );
    articleId = created.body.data.articleCreate.article.id;
  });
  afterAll(() => server?.close());

  test("first bounds how many proposals are answered (reading order kept) and is checked", async () => {
    const all = await list();
    expect(all.length).toBeGreaterThan(2);
    const q = `query($id: ID!, $first: Int) { article(id: $id) { claimProposals(first: $first) { id } } }`;
    const two = await server.gql(q, { id: articleId, first: 2 });
    expect(two.body.data.article.claimProposals.map((p: any) => p.id)).toEqual(all.slice(0, 2).map((p) => p.id));
    for (const first of [-1, 101]) {
      const { body } = await server.gql(q, { id: articleId, first });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "first" });
    }
  });

  test("proposals name their span, speaker and the source it resolves to", async () => {
    const proposals = await list();
    const hook = proposals.find((p) => p.text.includes("sanctions would tighten"));
    expect(hook).toMatchObject({ pattern: "INDIRECT", kind: "PARAPHRASE", resolution: "NAME", source: { slug: "brian-hook" }, speaker: { text: "Brian Hook" } });
    expect(hook.quote.exact).toBe(hook.text);
    const state = proposals.find((p) => p.text.includes("new measures"));
    expect(state).toMatchObject({ resolution: "DESCRIPTION", source: { slug: "state-department" }, speaker: { text: "The department" } });
    const amiri = proposals.find((p) => p.text === "We will not back down");
    expect(amiri).toMatchObject({ pattern: "DIRECT", source: null, resolution: "NEW_SOURCE", proposedSource: { name: "Hossein Amiri", kind: "PERSON" } });
    for (const p of proposals) expect(p.confidence).toBeGreaterThan(0);
  });

  test("accepting creates the claim; the proposal is gone afterwards; a source created since it was listed is matched, not duplicated", async () => {
    const ACCEPT = `mutation($input: ClaimProposalAcceptInput!) { claimProposalAccept(input: $input) {
      claim { text kind origin source { slug } quote { exact anchoring } } userErrors { field code message } } }`;
    const before = await list();
    const hook = before.find((p) => p.text.includes("sanctions would tighten"));
    const viewer = await createKey(server, "VIEWER");
    expect((await server.gql(ACCEPT, { input: { proposalId: hook.id } }, viewer)).body.errors[0].extensions.code).toBe("FORBIDDEN");
    // An empty sourceId chooses nothing: the proposal's own speaker stands (as an empty ID in claimUpdate).
    const accepted = (await server.gql(ACCEPT, { input: { proposalId: hook.id, sourceId: "" } }, editor)).body.data.claimProposalAccept;
    expect(accepted).toMatchObject({ userErrors: [], claim: { kind: "PARAPHRASE", origin: "API", source: { slug: "brian-hook" }, quote: { exact: hook.quote.exact, anchoring: "EXACT" } } });
    expect((await list()).map((p) => p.id)).not.toContain(hook.id);
    const again = (await server.gql(ACCEPT, { input: { proposalId: hook.id } }, editor)).body.data.claimProposalAccept;
    expect(again.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "proposalId"] });

    // A source created since the proposal was listed is matched by name, not duplicated.
    const amiri = before.find((p) => p.text === "We will not back down");
    const source = await server.gql(
      `mutation { sourceCreate(input: { slug: "h-amiri", name: "Hossein Amiri", kind: PERSON }) { source { id } userErrors { code } } }`,
      undefined,
      editor,
    );
    expect(source.body.data.sourceCreate.userErrors).toEqual([]);
    const withSource = await server.gql(ACCEPT, { input: { proposalId: amiri.id, channel: "STATEMENT" } }, editor);
    expect(withSource.body.data.claimProposalAccept).toMatchObject({ userErrors: [], claim: { kind: "DIRECT_QUOTE", source: { slug: "h-amiri" } } });
  });

  test("accepting a proposal with a new speaker creates the source in the same mutation; the person's other proposals then name it", async () => {
    const body =
      "TEHRAN — Oil ministry spokeswoman Leila Farahani said on Sunday that exports through the Gulf had resumed.\n\n" +
      "“The pipeline is open again,” Farahani told reporters, adding that buyers in Asia had been told.\n\n" +
      "Two tanker captains, Omid Rahimi and Reza Karimi, said the strait was calm. “We sailed without escort,” Rahimi said. “Nobody stopped us,” he added.";
    const created = await server.gql(
      `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } } }`,
      { input: { url: "https://example.org/oil-exports", title: "Exports Resume", publication: "Example Wire", authors: ["B. Writer"], publishedAt: "2026-11-03T00:00:00Z", body } },
      editor,
    );
    const id = created.body.data.articleCreate.article.id;
    const proposals = async () => (await server.gql(PROPOSALS, { id })).body.data.article.claimProposals as any[];
    const ACCEPT = `mutation($input: ClaimProposalAcceptInput!) { claimProposalAccept(input: $input) {
      claim { source { id slug name kind role } } userErrors { code } } }`;
    const first = await proposals();
    const farahani = first.filter((p) => p.proposedSource?.name === "Leila Farahani");
    // One proposed source per person per article: full name, the title kept as a role, not "spokeswoman" or "Farahani".
    expect(farahani.map((p) => p.text)).toEqual([expect.stringContaining("exports through the Gulf"), "The pipeline is open again", "adding that buyers in Asia had been told."]);
    expect(farahani[0].proposedSource).toEqual({ name: "Leila Farahani", kind: "PERSON", role: "spokeswoman" });
    expect(first.some((p) => /^(spokeswoman|TEHRAN)/i.test(p.proposedSource?.name ?? ""))).toBe(false);

    const accepted = (await server.gql(ACCEPT, { input: { proposalId: farahani[0].id } }, editor)).body.data.claimProposalAccept;
    expect(accepted).toMatchObject({ userErrors: [], claim: { source: { slug: "leila-farahani", name: "Leila Farahani", kind: "PERSON", role: "spokeswoman" } } });
    const second = (await proposals()).find((p) => p.text === "The pipeline is open again");
    expect(second).toMatchObject({ resolution: "NAME", source: { slug: "leila-farahani" }, proposedSource: null });

    // Two editors accepting Rahimi's two quotes at once make one source between them.
    const rahimi = (await proposals()).filter((p) => p.proposedSource?.name === "Omid Rahimi");
    expect(rahimi.map((p) => p.text)).toEqual(["We sailed without escort", "Nobody stopped us"]);
    const both = await Promise.all(rahimi.map((p) => server.gql(ACCEPT, { input: { proposalId: p.id } }, editor)));
    const sources = both.map((r) => r.body.data.claimProposalAccept.claim.source.id);
    expect(new Set(sources).size).toBe(1);
    const named = await server.gql(`{ sources(first: 50) { edges { node { name } } } }`);
    expect(named.body.data.sources.edges.filter((e: any) => e.node.name === "Omid Rahimi")).toHaveLength(1);
  });

  test("attributions with the speaker after the verb, behind a description or in single marks", async () => {
    // Invented copy, one newswriting pattern per sentence.
    const body =
      "Nordvik Steel said on Monday that it would close its plant in Tromsø. The steelmaker’s plan was branded “a betrayal” by the head of the local union, Ingrid Solberg, on Tuesday. " +
      "The closure was described by Mayor Per Aune as a blow to the town. The firm said the plant had lost money for five years.\n\n" +
      "Demand will not recover before 2028, said Nordvik spokesperson Kari Lunde. A spokesperson for the county council said retraining places were available.\n\n" +
      "Analysts at Fjord Bank said the closure was overdue, describing the plant as “a relic”. Economists close to the finance ministry had predicted that more plants would close.\n\n" +
      "‘We were never consulted,’ said Solberg. The driver was called to the scene by police.\n\n" +
      "3M said it would hire 200 of the workers. The jobs will pay more, the company said. Shares rose after Nordvik said its debts had been refinanced.\n\n" +
      "“Good news for the town,” said Coun. Ada Berg.\n\n" +
      "Nordvik said in a statement that orders had fallen. The statement added that no buyer had been found. Solberg said the town would fight, adding: “We are not finished.”\n\n" +
      "Fjord Bank chief economist Jean-Luc Moreau-Vidal said prices would stabilise. Moreau-Vidal said the closure set a floor for prices.\n\n" +
      "Output fell 4 percent in May, according to a report by Statistics Norway. A statement from the Ministry of Trade said exports were stable.";
    const created = await server.gql(
      `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } } }`,
      { input: { url: "https://example.org/steel-closure", title: "Plant To Close", publication: "Example Wire", authors: ["B. Writer"], publishedAt: "2026-11-04T00:00:00Z", body } },
      editor,
    );
    const id = created.body.data.articleCreate.article.id;
    const proposals = (await server.gql(PROPOSALS, { id })).body.data.article.claimProposals as any[];
    const speakerOf = (words: string) => {
      const p = proposals.find((x) => x.text.includes(words));
      return p ? (p.source?.name ?? p.proposedSource?.name) : undefined;
    };
    // Passive naming verbs: the speaker after "by", a name in apposition preferred; the claim stops before "by".
    const branded = proposals.find((p) => p.text.includes("a betrayal"));
    expect(branded).toMatchObject({ pattern: "MIXED", kind: "PARTIAL_QUOTE", proposedSource: { name: "Ingrid Solberg" } });
    expect(branded.text.endsWith("”")).toBe(true);
    expect(speakerOf("a blow to the town")).toBe("Per Aune");
    // "The firm" and "a spokesperson for the county council" speak for an organisation; a company word makes "Nordvik Steel" one.
    expect(proposals.find((p) => p.text.includes("lost money"))).toMatchObject({ resolution: "DESCRIPTION", proposedSource: { name: "Nordvik Steel", kind: "OTHER" } });
    expect(speakerOf("retraining places")).toMatch(/county council/i);
    // An inverted attribution without quotation marks.
    expect(speakerOf("Demand will not recover")).toBe("Kari Lunde");
    // A participle cue after a verb of saying is a claim of its own; the verb keeps the clause before it.
    expect(proposals.find((p) => p.text.includes("overdue"))!.text).not.toContain("relic");
    expect(proposals.find((p) => p.text.includes("relic"))!.text.startsWith("describing")).toBe(true);
    // A plural noun compromise tags as a verb ("Economists") still opens the subject.
    expect(speakerOf("more plants would close")).toBe("Economists");
    expect(proposals.find((p) => p.text === "We were never consulted")).toMatchObject({ pattern: "DIRECT", proposedSource: { name: "Ingrid Solberg" } });
    // A name starting with a digit is a company's; a subordinate clause has its own subject; an abbreviated title is no name.
    expect(proposals.find((p) => p.text.includes("pay more"))).toMatchObject({ resolution: "DESCRIPTION", proposedSource: { name: "3M" } });
    expect(speakerOf("debts had been refinanced")).toBe("Nordvik Steel");
    expect(speakerOf("Good news for the town")).toBe("Ada Berg");
    // A hyphenated name is one name ("Jean-Luc Moreau-Vidal", then "Moreau-Vidal").
    expect(speakerOf("prices would stabilise")).toBe("Jean-Luc Moreau-Vidal");
    expect(speakerOf("a floor for prices")).toBe("Jean-Luc Moreau-Vidal");
    expect(speakerOf("no buyer had been found")).toBe("Nordvik Steel");
    // "X said …, adding: “…”" is two claims: the reported clause and the quotation.
    expect(proposals.find((p) => p.text.includes("town would fight"))).toMatchObject({ text: "Solberg said the town would fight", proposedSource: { name: "Ingrid Solberg" } });
    expect(proposals.find((p) => p.text === "We are not finished.")).toMatchObject({ pattern: "DIRECT", proposedSource: { name: "Ingrid Solberg" } });
    // A statement or report speaks for the institution it is from.
    expect(speakerOf("Output fell")).toBe("Statistics Norway");
    expect(speakerOf("exports were stable")).toBe("Ministry of Trade");
    // Not every passive with "by" is an attribution.
    expect(proposals.some((p) => p.text.includes("called to the scene"))).toBe(false);
  });

  test("a dismissal is remembered across runs and corrections; bad IDs are user errors", async () => {
    const DISMISS = `mutation($input: ClaimProposalDismissInput!) { claimProposalDismiss(input: $input) {
      article { claimProposals { id text } } userErrors { field code } } }`;
    const target = (await list()).find((p) => p.text.includes("no comment"));
    expect(target).toBeDefined();
    const dismissed = (await server.gql(DISMISS, { input: { proposalId: target.id, reason: "not a claim" } }, editor)).body.data.claimProposalDismiss;
    expect(dismissed.userErrors).toEqual([]);
    expect(dismissed.article.claimProposals.map((p: any) => p.text)).not.toContain(target.text);
    // A correction elsewhere moves every offset; the dismissed words stay dismissed.
    const body = (await server.gql(`{ article(id: "${articleId}") { body } }`)).body.data.article.body;
    await server.gql(
      `mutation($input: ArticleUpdateInput!) { articleUpdate(input: $input) { userErrors { code } } }`,
      { input: { articleId, body: `Correction: an earlier version misspelled a name.\n\n${body}` } },
      editor,
    );
    expect((await list()).map((p) => p.text)).not.toContain(target.text);
    const bogus = (await server.gql(DISMISS, { input: { proposalId: "bm90LWFuLWlk" } }, editor)).body.data.claimProposalDismiss;
    expect(bogus.userErrors).toEqual([{ field: ["input", "proposalId"], code: "NOT_FOUND" }]);
  });

  test("the seed article's proposals leave out what its curated claims already cover", async () => {
    const seed = (await server.gql(`{ article(slug: "soleimani-strike-push") { id claims { quote { start end } } } }`)).body.data.article;
    const proposals = (await server.gql(PROPOSALS, { id: seed.id })).body.data.article.claimProposals as any[];
    for (const p of proposals) {
      for (const c of seed.claims) {
        const overlap = Math.min(c.quote.end, p.quote.end) - Math.max(c.quote.start, p.quote.start);
        expect(overlap).toBeLessThan(0.5 * Math.min(c.quote.end - c.quote.start, p.quote.end - p.quote.start));
      }
    }
  });
});
