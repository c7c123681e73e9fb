import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const SET_STATUS = `
  mutation Set($input: ClaimSetStatusInput!) {
    claimSetStatus(input: $input) {
      claim { id status history { aspect fromStatus toStatus rationale evidenceUrls changedBy } }
      userErrors { field message code }
    }
  }`;

describe.each(databaseKinds())("mutations on %s", (kind) => {
  let server: TestServer;
  let keys: Record<"viewer" | "editor" | "admin", string>;
  let claimId: string;

  beforeAll(async () => {
    server = await startServer(kind);
    keys = {
      viewer: await createKey(server, "VIEWER"),
      editor: await createKey(server, "EDITOR", "Desk editor"),
      admin: await createKey(server, "ADMIN"),
    };
    const { body } = await server.gql(`{ claims(filter: { actor: "Khamenei" }) { nodes { id } } }`);
    claimId = body.data.claims.nodes[0].id;
  });
  afterAll(() => server?.close());

  describe("auth matrix", () => {
    const input = () => ({ claimId, status: "IN_REVIEW" });
    test("no key → UNAUTHENTICATED", async () => {
      const { body } = await server.gql(SET_STATUS, { input: input() });
      expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(body.data).toBeNull();
    });
    test("viewer key → FORBIDDEN", async () => {
      const { body } = await server.gql(SET_STATUS, { input: input() }, keys.viewer);
      expect(body.errors[0].extensions.code).toBe("FORBIDDEN");
    });
    test("an unknown key: reads still answer (with a warning), mutations are UNAUTHENTICATED", async () => {
      const read = await server.gql(`{ claims { totalCount } }`, undefined, "cgk_not-a-real-key");
      expect(read.status).toBe(200);
      expect(read.body.data.claims.totalCount).toBeGreaterThan(0);
      expect(read.body.extensions.warnings[0]).toMatchObject({ code: "INVALID_CREDENTIALS", reason: "MALFORMED" });
      const write = await server.gql(SET_STATUS, { input: input() }, "cgk_not-a-real-key");
      expect(write.body.errors[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "MALFORMED" });
    });
    test("reads need no key", async () => {
      const { body } = await server.gql(`{ claims { totalCount } }`);
      expect(body.data.claims.totalCount).toBeGreaterThan(0);
    });
    test("editor cannot manage keys; admin can", async () => {
      const q = `mutation { apiKeyCreate(input: { name: "bot", role: VIEWER }) { secret apiKey { role } userErrors { code } } }`;
      expect((await server.gql(q, undefined, keys.editor)).body.errors[0].extensions.code).toBe("FORBIDDEN");
      const { body } = await server.gql(q, undefined, keys.admin);
      expect(body.data.apiKeyCreate.secret).toMatch(/^cgk_/);
      expect(body.data.apiKeyCreate.apiKey.role).toBe("VIEWER");
    });
  });

  test("a verdict is recorded with who, why and evidence, newest first in history", async () => {
    const first = await server.gql(SET_STATUS, { input: { claimId, status: "IN_REVIEW" } }, keys.editor);
    expect(first.body.data.claimSetStatus.userErrors).toEqual([]);
    const second = await server.gql(
      SET_STATUS,
      { input: { claimId, status: "NOT_CHECKABLE", rationale: "A threat, not a checkable fact.", evidenceUrls: ["https://example.org/a"] } },
      keys.editor,
    );
    const claim = second.body.data.claimSetStatus.claim;
    expect(claim.status).toBe("NOT_CHECKABLE");
    expect(claim.history.slice(0, 2)).toEqual([
      { aspect: "VERIFICATION", fromStatus: "IN_REVIEW", toStatus: "NOT_CHECKABLE", rationale: "A threat, not a checkable fact.", evidenceUrls: ["https://example.org/a"], changedBy: "Desk editor" },
      { aspect: "VERIFICATION", fromStatus: "UNVERIFIED", toStatus: "IN_REVIEW", rationale: null, evidenceUrls: [], changedBy: "Desk editor" },
    ]);
    const filtered = await server.gql(`{ claims(filter: { status: [NOT_CHECKABLE] }) { nodes { id } } }`);
    expect(filtered.body.data.claims.nodes.map((n: any) => n.id)).toContain(claimId);
  });

  test.each([
    [{ status: "FALSE" }, "REQUIRED", ["input", "rationale"]],
    [{ status: "FALSE", rationale: "   " }, "REQUIRED", ["input", "rationale"]],
    [{ status: "TRUE", rationale: "x", evidenceUrls: ["ftp://example.org/x"] }, "INVALID", ["input", "evidenceUrls", "0"]],
  ])("bad verdict input %p gives a user error and changes nothing", async (extra, code, field) => {
    const before = await server.gql(`query($id: ID!) { claim(id: $id) { status history { toStatus } } }`, { id: claimId });
    const { body } = await server.gql(SET_STATUS, { input: { claimId, ...extra } }, keys.editor);
    expect(body.data.claimSetStatus.claim).toBeNull();
    expect(body.data.claimSetStatus.userErrors).toEqual([expect.objectContaining({ code, field })]);
    const after = await server.gql(`query($id: ID!) { claim(id: $id) { status history { toStatus } } }`, { id: claimId });
    expect(after.body.data).toEqual(before.body.data);
  });

  test("a URL that is not a URL fails variable coercion with BAD_USER_INPUT", async () => {
    const { status, body } = await server.gql(SET_STATUS, { input: { claimId, status: "TRUE", rationale: "x", evidenceUrls: ["not a url"] } }, keys.editor);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  test("an unknown claim id is a user error, not a crash", async () => {
    const { body } = await server.gql(SET_STATUS, { input: { claimId: "Q2xhaW06bm9wZQ", status: "IN_REVIEW" } }, keys.editor);
    expect(body.errors).toBeUndefined();
    expect(body.data.claimSetStatus.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "claimId"] });
  });

  test("attribution verdicts have their own history aspect", async () => {
    const { body } = await server.gql(
      `mutation($input: ClaimSetAttributionInput!) { claimSetAttribution(input: $input) { claim { attribution history { aspect toAttribution } } userErrors { code } } }`,
      { input: { claimId, attribution: "CONFIRMED_PRIMARY", rationale: "Matches the official transcript.", evidenceUrls: ["https://example.org/t"] } },
      keys.editor,
    );
    expect(body.data.claimSetAttribution.claim.attribution).toBe("CONFIRMED_PRIMARY");
    expect(body.data.claimSetAttribution.claim.history[0]).toEqual({ aspect: "ATTRIBUTION", toAttribution: "CONFIRMED_PRIMARY" });
  });

  test("claimCreate locates the quote; claimUpdate corrects; claimRetire hides", async () => {
    const ids = await server.gql(`{ articles(first: 1) { nodes { id } } source(slug: "brian-hook") { id } }`);
    const articleId = ids.body.data.articles.nodes[0].id;
    const sourceId = ids.body.data.source.id;
    const create = `mutation($input: ClaimCreateInput!) { claimCreate(input: $input) { claim { id text quote { exact } origin } userErrors { code field message } } }`;
    const missing = await server.gql(create, { input: { articleId, sourceId, text: "words nobody wrote", kind: "DIRECT_QUOTE" } }, keys.editor);
    expect(missing.body.data.claimCreate.userErrors[0]).toMatchObject({ code: "QUOTE_NOT_FOUND", field: ["input", "quote"] });
    const ambiguous = await server.gql(create, { input: { articleId, sourceId, text: "Iran", kind: "PARAPHRASE" } }, keys.editor);
    expect(ambiguous.body.data.claimCreate.userErrors[0].message).toMatch(/times/);

    const made = await server.gql(
      create,
      { input: { articleId, sourceId, text: "reportedly against Hook’s objections", kind: "ALLEGATION" } },
      keys.editor,
    );
    const claim = made.body.data.claimCreate.claim;
    expect(claim).toMatchObject({ origin: "API", quote: { exact: "reportedly against Hook’s objections" } });

    const update = await server.gql(
      `mutation($input: ClaimUpdateInput!) { claimUpdate(input: $input) { claim { kind channel } userErrors { code } } }`,
      { input: { claimId: claim.id, kind: "PARAPHRASE", channel: "NEWSPAPER" } },
      keys.editor,
    );
    expect(update.body.data.claimUpdate.claim).toEqual({ kind: "PARAPHRASE", channel: "NEWSPAPER" });

    // UNKNOWN never carries a specific date: it is the article's publication date (README: dates).
    const dated = `mutation($input: ClaimUpdateInput!) { claimUpdate(input: $input) { claim { saidAt saidAtPrecision article { publishedAt } } userErrors { code field } } }`;
    const day = await server.gql(dated, { input: { claimId: claim.id, saidAt: "2019-12-07T00:00:00Z", saidAtPrecision: "DAY" } }, keys.editor);
    expect(day.body.data.claimUpdate.claim).toMatchObject({ saidAt: "2019-12-07T00:00:00.000Z", saidAtPrecision: "DAY" });
    const bad = await server.gql(dated, { input: { claimId: claim.id, saidAt: "2019-12-08T00:00:00Z", saidAtPrecision: "UNKNOWN" } }, keys.editor);
    expect(bad.body.data.claimUpdate.userErrors).toEqual([{ code: "INVALID", field: ["input", "saidAt"] }]);
    const unknown = (await server.gql(dated, { input: { claimId: claim.id, saidAtPrecision: "UNKNOWN" } }, keys.editor)).body.data.claimUpdate.claim;
    expect(unknown).toMatchObject({ saidAt: unknown.article.publishedAt, saidAtPrecision: "UNKNOWN" });
    const undated = await server.gql(create, { input: { articleId, sourceId, text: "handful of clerics", kind: "PARTIAL_QUOTE", saidAt: "2019-12-01T00:00:00Z", saidAtPrecision: "UNKNOWN" } }, keys.editor);
    expect(undated.body.data.claimCreate.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "saidAt"] })]);

    const before = (await server.gql(`{ claims { totalCount } }`)).body.data.claims.totalCount;
    const retire = await server.gql(`mutation($id: ID!) { claimRetire(input: { claimId: $id }) { claim { retiredAt } userErrors { code } } }`, { id: claim.id }, keys.editor);
    expect(retire.body.data.claimRetire.claim.retiredAt).not.toBeNull();
    expect((await server.gql(`{ claims { totalCount } }`)).body.data.claims.totalCount).toBe(before - 1);
    expect((await server.gql(`{ claims(filter: { includeRetired: true }) { totalCount } }`)).body.data.claims.totalCount).toBe(before);
    const again = await server.gql(SET_STATUS, { input: { claimId: claim.id, status: "IN_REVIEW" } }, keys.editor);
    expect(again.body.data.claimSetStatus.userErrors[0].code).toBe("RETIRED");
  });

  test("sourceCreate / sourceUpdate validate and make the source findable by alias", async () => {
    const create = `mutation($input: SourceCreateInput!) { sourceCreate(input: $input) { source { id slug aliases affiliation { slug } } userErrors { code field } } }`;
    const state = (await server.gql(`{ source(slug: "state-department") { id } }`)).body.data.source.id;
    const taken = await server.gql(create, { input: { slug: "brian-hook", name: "Dup", kind: "PERSON" } }, keys.editor);
    expect(taken.body.data.sourceCreate.userErrors[0]).toMatchObject({ code: "TAKEN", field: ["input", "slug"] });
    const badSlug = await server.gql(create, { input: { slug: "Not A Slug", name: "X", kind: "PERSON" } }, keys.editor);
    expect(badSlug.body.data.sourceCreate.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "slug"] });
    const made = await server.gql(
      create,
      { input: { slug: "mike-pompeo", name: "Mike Pompeo", kind: "PERSON", aliases: ["Pompeo", "Secretary Pompeo"], affiliationId: state } },
      keys.editor,
    );
    expect(made.body.data.sourceCreate.source).toMatchObject({ slug: "mike-pompeo", aliases: ["Pompeo", "Secretary Pompeo"], affiliation: { slug: "state-department" } });
    const updated = await server.gql(
      `mutation($input: SourceUpdateInput!) { sourceUpdate(input: $input) { source { role aliases } userErrors { code } } }`,
      { input: { sourceId: made.body.data.sourceCreate.source.id, role: "U.S. Secretary of State", aliases: ["Pompeo"] } },
      keys.editor,
    );
    expect(updated.body.data.sourceUpdate.source).toEqual({ role: "U.S. Secretary of State", aliases: ["Pompeo"] });
    // The shared field rules (src/validation/fields.ts): a name over its cap is refused, a blank role clears it.
    const long = await server.gql(create, { input: { slug: "long-name", name: "x".repeat(201), kind: "PERSON" } }, keys.editor);
    expect(long.body.data.sourceCreate.userErrors).toEqual([{ code: "INVALID", field: ["input", "name"] }]);
    const cleared = await server.gql(
      `mutation($input: SourceUpdateInput!) { sourceUpdate(input: $input) { source { role } userErrors { code } } }`,
      { input: { sourceId: made.body.data.sourceCreate.source.id, role: "  " } },
      keys.editor,
    );
    expect(cleared.body.data.sourceUpdate).toEqual({ source: { role: null }, userErrors: [] });
    const found = await server.gql(`{ sources(filter: { search: "pompeo" }) { nodes { slug } } }`);
    expect(found.body.data.sources.nodes).toEqual([{ slug: "mike-pompeo" }]);
  });

  test("eventCreate and eventLink connect a claim to a new event", async () => {
    const made = await server.gql(
      `mutation($input: EventCreateInput!) { eventCreate(input: $input) { event { id slug occurredAt } userErrors { code } } }`,
      { input: { slug: "iran-missile-strikes-on-al-asad", title: "Iranian missile strikes on U.S. bases", description: "Iran fires missiles at Al Asad and Erbil.", kind: "MILITARY_STRIKE", occurredAt: "2020-01-08T00:00:00Z", occurredPrecision: "DAY" } },
      keys.editor,
    );
    const event = made.body.data.eventCreate.event;
    const link = `mutation($input: EventLinkInput!) { eventLink(input: $input) { event { claims(linkType: PREDICTS) { totalCount nodes { id } } } userErrors { code field } } }`;
    for (let i = 0; i < 2; i++) {
      const { body } = await server.gql(link, { input: { eventId: event.id, claimId, linkType: "PREDICTS" } }, keys.editor);
      expect(body.data.eventLink.event.claims).toEqual({ totalCount: 1, nodes: [{ id: claimId }] });
    }
    const bad = await server.gql(link, { input: { eventId: event.id, claimId: "nope", linkType: "PREDICTS" } }, keys.editor);
    expect(bad.body.data.eventLink.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "claimId"] }]);
  });

  test("a revoked key stops working at once", async () => {
    const secret = await createKey(server, "EDITOR", "temp");
    const list = await server.gql(`{ apiKeys { id name revokedAt } }`, undefined, keys.admin);
    const temp = list.body.data.apiKeys.find((k: any) => k.name === "temp");
    const revoke = await server.gql(`mutation($id: ID!) { apiKeyRevoke(input: { apiKeyId: $id }) { apiKey { revokedAt } userErrors { code } } }`, { id: temp.id }, keys.admin);
    expect(revoke.body.data.apiKeyRevoke.apiKey.revokedAt).not.toBeNull();
    const { body } = await server.gql(`mutation($id: ID!) { claimRetire(input: { claimId: $id }) { userErrors { code } } }`, { id: "x" }, secret);
    expect(body.errors[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "REVOKED" });
  });
});
