import { loadConfig } from "../src/config";
import { CLAIM_FIELDS, claimIdsByKey, claimReviewProblems as problemsOf, PUBLISHED, PUBLISHER } from "./support/claimReviewRules";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const CLAIMS = `{ claims(first: 100) { nodes { ${CLAIM_FIELDS} claimReview } } }`;

describe.each(databaseKinds())("ClaimReview export on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let viewer: string;
  let ids: Map<string, string>;
  beforeAll(async () => {
    server = await startServer(kind, { env: PUBLISHER });
    editor = await createKey(server, "EDITOR", "Verdict desk");
    viewer = await createKey(server, "VIEWER", "Reader desk");
    ids = await claimIdsByKey(server);
  });
  afterAll(() => server?.close());

  const setStatus = async (key: string, status: string, publicExplanation?: string | null) => {
    const { body } = await server.gql(
      `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { userErrors { code message field } } }`,
      { input: { claimId: ids.get(key), status, rationale: `Desk-only note on ${key}: ${status}.`, publicExplanation, evidenceUrls: ["https://example.org/evidence"] } },
      editor,
    );
    return body.data.claimSetStatus.userErrors;
  };
  // With a key: the history's rationale (checked against the export) is for key holders only.
  const allClaims = async () => (await server.gql(CLAIMS, undefined, viewer)).body.data.claims.nodes as any[];
  const claimOf = async (key: string) => (await allClaims()).find((c) => c.id === ids.get(key));
  const updateArticle = async (input: Record<string, unknown>) => {
    const { body } = await server.gql(
      `mutation($input: ArticleUpdateInput!) { articleUpdate(input: $input) { article { url urlVerified urlNote } userErrors { field code message } } }`,
      { input },
      editor,
    );
    return body.data.articleUpdate;
  };

  test("a claim without a published verdict exports no ClaimReview", async () => {
    const claims = await allClaims();
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.filter((c) => c.claimReview !== null)).toEqual([]);
    expect(await setStatus("trump-iran-never-won-a-war", "IN_REVIEW")).toEqual([]);
    expect(await claimOf("trump-iran-never-won-a-war")).toMatchObject({ status: "IN_REVIEW", claimReview: null });
  });

  test("every exported ClaimReview has the required and expected properties, dated no more precisely than known", async () => {
    // Verdicts across the scale, off it, with and without a public explanation, across DAY, MONTH and
    // UNKNOWN dates, and for a source the article does not name.
    expect(await setStatus("khamenei-harsh-revenge", "NOT_CHECKABLE", "A threat of future action cannot be checked.")).toEqual([]);
    expect(await setStatus("us-officials-blame-iran-saudi-attack", "TRUE", "U.S. officials did blame Iran, as reported at the time.")).toEqual([]);
    expect(await setStatus("hook-objected-prisoner-exchange", "MOSTLY_FALSE")).toEqual([]);
    expect(await setStatus("dod-soleimani-developing-attack-plans", "UNSUBSTANTIATED", "   ")).toEqual([]);
    expect(await setStatus("national-interest-counter-iran-mission-report", "MIXED", "Partly borne out.")).toEqual([]);
    const claims = await allClaims();
    const unnamed = claims.find((c) => /unnamed/i.test(c.source.description ?? "") || /without naming/i.test(c.source.description ?? ""));
    expect(await setStatus(unnamed.key.split("/")[1], "FALSE", "No record supports it.")).toEqual([]);

    const exported = (await allClaims()).filter((c) => c.claimReview !== null);
    expect(new Set(exported.map((c) => c.saidAtPrecision))).toEqual(new Set(["DAY", "MONTH", "UNKNOWN"]));
    for (const claim of await allClaims()) {
      expect([claim.key, claim.claimReview !== null]).toEqual([claim.key, PUBLISHED.includes(claim.status)]);
    }
    for (const claim of exported) expect([claim.key, problemsOf(claim.claimReview, claim)]).toEqual([claim.key, []]);
    const month = exported.find((c) => c.saidAtPrecision === "MONTH");
    expect(month.claimReview.itemReviewed.datePublished).toMatch(/^\d{4}-\d{2}$/);
    // Not reported: no claim date, and the article's date on the article it appeared in.
    const unknown = exported.find((c) => c.saidAtPrecision === "UNKNOWN");
    expect(unknown.claimReview.itemReviewed).not.toHaveProperty("datePublished");
    expect(unknown.claimReview.itemReviewed.appearance.datePublished).toBe(unknown.article.publishedAt.slice(0, 10));
    // The unnamed source is described as the article describes it.
    const anonymous = exported.find((c) => c.id === unnamed.id).claimReview.itemReviewed.author;
    expect(anonymous).toEqual({ "@type": "Organization", name: unnamed.source.name, description: unnamed.source.description });
  });

  test("the public explanation is published, the internal rationale never is", async () => {
    const withExplanation = await claimOf("us-officials-blame-iran-saudi-attack");
    expect(withExplanation.history[0]).toMatchObject({ rationale: expect.stringMatching(/^Desk-only/), publicExplanation: expect.stringMatching(/^U.S. officials/) });
    expect(withExplanation.claimReview.reviewRating.ratingExplanation).toBe(withExplanation.history[0].publicExplanation);
    // No explanation given, or a blank one: none is published (and none stored).
    for (const key of ["hook-objected-prisoner-exchange", "dod-soleimani-developing-attack-plans"]) {
      const claim = await claimOf(key);
      expect(claim.history[0].publicExplanation).toBeNull();
      expect(claim.claimReview.reviewRating).not.toHaveProperty("ratingExplanation");
      expect(JSON.stringify(claim.claimReview)).not.toContain("Desk-only");
    }
  });

  test("rationale and changedBy are for key holders: anonymous answers, cached ones included, carry null", async () => {
    const key = "us-officials-blame-iran-saudi-attack";
    const query = `query($id: ID!) { claim(id: $id) { status history { toStatus rationale changedBy publicExplanation evidenceUrls createdAt } } }`;
    const post = (authorization?: string) =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query, variables: { id: ids.get(key) } }),
      });
    const keyed = (await server.gql(query, { id: ids.get(key) }, viewer)).body.data.claim.history[0];
    expect(keyed).toMatchObject({ rationale: expect.stringMatching(/^Desk-only/), changedBy: "Verdict desk" });
    const answers = [];
    for (let i = 0; i < 2; i++) {
      const res = await post();
      answers.push({ cache: res.headers.get("x-cache"), control: res.headers.get("cache-control"), body: await res.text() });
    }
    // The second anonymous answer comes from the public response cache: neither holds the rationale or the key's name.
    expect(answers.map((a) => a.cache)).toEqual([null, "HIT"]);
    for (const { control, body } of answers) {
      expect(control).toMatch(/public/);
      expect(body).not.toContain("Desk-only");
      expect(body).not.toContain("Verdict desk");
      // The public part of the verdict stays public.
      expect(JSON.parse(body).data.claim.history[0]).toEqual({ ...keyed, rationale: null, changedBy: null });
    }
    const invalid = await post("Bearer cgk_not-a-real-key");
    expect(((await invalid.json()) as any).data.claim.history[0]).toMatchObject({ rationale: null, changedBy: null });
  });

  test("a public explanation is capped and checked like other text fields; nothing is written on refusal", async () => {
    const before = (await claimOf("khamenei-harsh-revenge")).history.length;
    const long = await setStatus("khamenei-harsh-revenge", "FALSE", "x".repeat(2_001));
    expect(long).toEqual([{ code: "INVALID", field: ["input", "publicExplanation"], message: expect.stringMatching(/at most 2000 characters/) }]);
    // A NUL is refused at the edge, as in every string input.
    const nul = await server.gql(`mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { userErrors { code } } }`, {
      input: { claimId: ids.get("khamenei-harsh-revenge"), status: "FALSE", rationale: "r", publicExplanation: "bad\u0000text" },
    }, editor);
    expect(nul.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect((await claimOf("khamenei-harsh-revenge")).history.length).toBe(before);
    // The cap counts the value as sent (before any trim, so no transform runs on an oversize value).
    expect(await setStatus("khamenei-harsh-revenge", "NOT_CHECKABLE", `  ${"y".repeat(1_996)}  `)).toEqual([]);
    expect((await claimOf("khamenei-harsh-revenge")).history[0].publicExplanation).toBe("y".repeat(1_996));
  });

  test("a verdict taken back to review withdraws its ClaimReview; a URL an editor verified is cited, and a new URL is not", async () => {
    expect(await setStatus("khamenei-harsh-revenge", "IN_REVIEW")).toEqual([]);
    expect((await claimOf("khamenei-harsh-revenge")).claimReview).toBeNull();

    const verified = await claimOf("us-officials-blame-iran-saudi-attack");
    expect(verified.claimReview.itemReviewed.appearance).not.toHaveProperty("url");
    const { body } = await server.gql(`{ article(url: ${JSON.stringify(verified.article.url)}) { id urlNote } }`);
    const articleId = body.data.article.id;
    const marked = await updateArticle({ articleId, urlVerified: true, urlNote: "  Checked against the publisher's archive.  " });
    expect(marked).toEqual({ article: { url: verified.article.url, urlVerified: true, urlNote: "Checked against the publisher's archive." }, userErrors: [] });
    const cited = await claimOf("us-officials-blame-iran-saudi-attack");
    expect(cited.claimReview.itemReviewed.appearance.url).toBe(verified.article.url);
    expect(problemsOf(cited.claimReview, cited)).toEqual([]);

    // Same URL sent again: still verified. A new one: unverified unless the editor says so.
    expect((await updateArticle({ articleId, url: verified.article.url })).article.urlVerified).toBe(true);
    const moved = await updateArticle({ articleId, url: "https://example.org/moved" });
    expect(moved.article).toMatchObject({ url: "https://example.org/moved", urlVerified: false });
    const uncited = await claimOf("us-officials-blame-iran-saudi-attack");
    expect(uncited.claimReview.itemReviewed.appearance).not.toHaveProperty("url");
    expect(problemsOf(uncited.claimReview, uncited)).toEqual([]);
    const back = await updateArticle({ articleId, url: verified.article.url, urlVerified: true, urlNote: null });
    expect(back.article).toEqual({ url: verified.article.url, urlVerified: true, urlNote: null });
  });

  test("urlVerified and urlNote through articleCreate, validated", async () => {
    const create = (input: Record<string, unknown>) =>
      server.gql(
        `mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { article { urlVerified urlNote } userErrors { field code message } } }`,
        { input: { title: "Council budget", publication: "Example Gazette", authors: ["A. Reporter"], publishedAt: "2020-01-03T00:00:00Z", body: "The council met.", ...input } },
        editor,
      );
    const plain = (await create({ url: "https://example.org/a1" })).body.data.articleCreate;
    expect(plain).toEqual({ article: { urlVerified: false, urlNote: null }, userErrors: [] });
    const checked = (await create({ url: "https://example.org/a2", urlVerified: true, urlNote: "From the print edition's masthead." })).body.data.articleCreate;
    expect(checked).toEqual({ article: { urlVerified: true, urlNote: "From the print edition's masthead." }, userErrors: [] });
    const long = (await create({ url: "https://example.org/a3", urlNote: "n".repeat(1_001) })).body.data.articleCreate;
    expect(long).toEqual({ article: null, userErrors: [{ field: ["input", "urlNote"], code: "INVALID", message: expect.stringMatching(/at most 1000 characters/) }] });
    const wrongType = await create({ url: "https://example.org/a4", urlVerified: "yes" });
    expect(wrongType.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });
});

describe("ClaimReview configuration", () => {
  test("unset: no publisher, so no ClaimReview is exported", () => {
    expect(loadConfig({}).reviewPublisher).toBeNull();
  });
  test("set: the organisation and the review URL template", () => {
    expect(loadConfig(PUBLISHER).reviewPublisher).toEqual({
      name: "Example Fact Desk",
      url: "https://factcheck.example.org/",
      urlTemplate: "https://factcheck.example.org/reviews/{id}",
    });
  });
  test.each([
    [{ CLAIMREVIEW_AUTHOR_NAME: "Desk" }, /CLAIMREVIEW_URL_TEMPLATE: set CLAIMREVIEW_AUTHOR_NAME and CLAIMREVIEW_URL_TEMPLATE together/],
    [{ CLAIMREVIEW_AUTHOR_NAME: "Desk", CLAIMREVIEW_URL_TEMPLATE: "https://x.example/reviews" }, /CLAIMREVIEW_URL_TEMPLATE: must contain \{id\}/],
    [{ CLAIMREVIEW_AUTHOR_NAME: "Desk", CLAIMREVIEW_URL_TEMPLATE: "ftp://x.example/{id}" }, /CLAIMREVIEW_URL_TEMPLATE: must be an http\(s\) URL/],
    [{ CLAIMREVIEW_AUTHOR_URL: "https://x.example" }, /CLAIMREVIEW_AUTHOR_URL: needs CLAIMREVIEW_AUTHOR_NAME/],
  ])("a half or bad setting %p stops the process with its name", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
