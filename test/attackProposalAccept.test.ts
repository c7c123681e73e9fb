import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the review round (2026-12-07) through the desk's own flow: create, list, accept.
const CREATE = `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { id } userErrors { code } } }`;
const PROPOSALS = `query($id: ID!) { article(id: $id) { claimProposals { id text quote { start end } proposedSource { name } } } }`;
const ACCEPT = `mutation($input: ClaimProposalAcceptInput!) { claimProposalAccept(input: $input) {
  claim { id source { name } quote { start end exact } } userErrors { field code message } } }`;
const CLAIMS = `query($id: ID!) { article(id: $id) { claims { source { name } quote { start end } } } }`;

describe.each(databaseKinds())("accepting proposals (%s)", (kind) => {
  let server: TestServer;
  let editor: string;
  let n = 0;
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0" } });
    editor = await createKey(server, "EDITOR", "Proposal desk");
  }, 60_000);
  afterAll(() => server?.close());

  async function article(body: string): Promise<string> {
    const input = { url: `https://example.org/accept/${++n}`, title: `Accept ${n}`, publication: "Example Wire", authors: ["B. Writer"], publishedAt: "2026-11-02T00:00:00Z", body };
    const created = await server.gql(CREATE, { input }, editor);
    return created.body.data.articleCreate.article.id;
  }
  const proposals = async (id: string) => (await server.gql(PROPOSALS, { id })).body.data.article.claimProposals as any[];

  // The claim was located by searching the body for the proposal's words, so words said twice
  // (a slogan two speakers repeat, a pull quote) were QUOTE_NOT_FOUND on `input.quote`, a field the
  // accept input does not have: neither proposal could be accepted. The proposal knows its span.
  test("words said twice in an article: each proposal is accepted at its own span", async () => {
    const id = await article(
      "“We will win,” said Anna Berg, the party's leader, on Monday.\n\nHer rival was unimpressed. “We will win,” said Peter Holm, who leads the Greens.",
    );
    const found = await proposals(id);
    expect(found.map((p) => p.proposedSource?.name)).toEqual(["Anna Berg", "Peter Holm"]);
    for (const p of found) {
      const accepted = (await server.gql(ACCEPT, { input: { proposalId: p.id } }, editor)).body.data.claimProposalAccept;
      expect(accepted.userErrors).toEqual([]);
      expect(accepted.claim.quote).toEqual({ start: p.quote.start, end: p.quote.end, exact: "We will win" });
    }
    expect(await proposals(id)).toEqual([]);
  });

  // Two clicks on "accept" (or two editors) at once: both found the proposal uncovered and both wrote a claim.
  test("the same proposal accepted by several requests at once makes one claim", async () => {
    const id = await article("“The bridge will reopen in May,” said Lena Okafor, the city's transport director.");
    const [p] = await proposals(id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => server.gql(ACCEPT, { input: { proposalId: p.id } }, editor)));
    for (const a of answers) expect(a.status).toBe(200);
    const results = answers.map((a) => a.body.data.claimProposalAccept);
    expect(results.filter((r) => r.claim)).toHaveLength(1);
    // A loser that found the proposal gone answers NOT_FOUND; one that raced the winner to the lock, CONFLICT.
    for (const r of results.filter((r) => !r.claim)) {
      expect(r.userErrors).toEqual([expect.objectContaining({ code: expect.stringMatching(/^(NOT_FOUND|CONFLICT)$/), field: ["input", "proposalId"] })]);
    }
    const claims = (await server.gql(CLAIMS, { id })).body.data.article.claims;
    expect(claims).toEqual([{ source: { name: "Lena Okafor" }, quote: { start: p.quote.start, end: p.quote.end } }]);
  });

  // Attack round 6, finding 8: accept and dismiss of one proposal sent at once by two editors both
  // succeeded (6 of 6): the claim was created AND its words dismissed, each editor told they won.
  test("an accept and a dismissal of one proposal sent at once: exactly one succeeds, the other is told which won", async () => {
    const other = await createKey(server, "EDITOR", "Second desk");
    const paras = Array.from({ length: 8 }, (_, i) => `"We will rebuild bridge number ${i} before winter," said Minister Anna Kowalska${i}.`);
    const id = await article(paras.join("\n\n"));
    const found = await proposals(id);
    expect(found).toHaveLength(8);
    const DISMISS = `mutation($input: ClaimProposalDismissInput!) { claimProposalDismiss(input: $input) { article { id } userErrors { field code message } } }`;
    const winners: string[] = [];
    for (const [round, p] of found.entries()) {
      const accept = () => server.gql(ACCEPT, { input: { proposalId: p.id } }, editor);
      const dismiss = () => server.gql(DISMISS, { input: { proposalId: p.id, reason: "duplicate" } }, other);
      // Either request sent first, half the rounds each.
      const [a, d] = round % 2 ? await Promise.all([accept(), dismiss()]) : (await Promise.all([dismiss(), accept()])).reverse();
      const accepted = a.body.data.claimProposalAccept;
      const dismissed = d.body.data.claimProposalDismiss;
      const outcome = [accepted.userErrors.length === 0 && accepted.claim !== null, dismissed.userErrors.length === 0];
      expect([round, outcome.filter(Boolean).length]).toEqual([round, 1]);
      const loser = outcome[0] ? dismissed : accepted;
      expect(loser.userErrors).toEqual([expect.objectContaining({ code: expect.stringMatching(/^(NOT_FOUND|CONFLICT)$/), field: ["input", "proposalId"] })]);
      if (loser.userErrors[0].code === "CONFLICT") expect(loser.userErrors[0].message).toMatch(outcome[0] ? /was accepted by another request/ : /was dismissed by another request/);
      winners.push(outcome[0] ? "accept" : "dismiss");
    }
    // Claims exactly where the accept won; no proposal left either way.
    const claims = (await server.gql(CLAIMS, { id })).body.data.article.claims as any[];
    const acceptedSpans = found.filter((_, i) => winners[i] === "accept").map((p) => p.quote);
    expect(claims.map((c) => c.quote)).toEqual(expect.arrayContaining(acceptedSpans));
    expect(claims).toHaveLength(acceptedSpans.length);
    expect(await proposals(id)).toEqual([]);
  });

  // Not fixed: a dismissal is remembered by the article and the words alone (proposal_dismissal is
  // unique on them), so dismissing one speaker's proposal hides every other speaker's identical words.
  // Keying it on the speaker too needs a migration of that unique key, and a rule for a speaker whose
  // words a correction changes.
  test.failing("dismissing one speaker's words leaves another speaker's identical words proposed", async () => {
    const id = await article("“We must act,” said Ida Lund, the mayor.\n\nHer rival agreed. “We must act,” said Otto Falk, who leads the council.");
    const [lund, falk] = await proposals(id);
    const DISMISS = `mutation($input: ClaimProposalDismissInput!) { claimProposalDismiss(input: $input) { userErrors { code } } }`;
    expect((await server.gql(DISMISS, { input: { proposalId: lund.id } }, editor)).body.data.claimProposalDismiss.userErrors).toEqual([]);
    expect((await proposals(id)).map((p) => p.id)).toEqual([falk.id]);
  });
});
