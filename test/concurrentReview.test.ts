import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const SET_STATUS = `
  mutation Set($input: ClaimSetStatusInput!) {
    claimSetStatus(input: $input) {
      claim { id status history { toStatus changedBy } }
      userErrors { field message code }
    }
  }`;

const SET_ATTRIBUTION = `
  mutation Set($input: ClaimSetAttributionInput!) {
    claimSetAttribution(input: $input) {
      claim { id attribution history { aspect toAttribution changedBy } }
      userErrors { field message code }
    }
  }`;

describe.each(databaseKinds())("safe concurrent review on %s", (kind) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let claimIds: string[];

  beforeAll(async () => {
    server = await startServer(kind);
    alice = await createKey(server, "EDITOR", "Alice");
    bob = await createKey(server, "EDITOR", "Bob");
    const { body } = await server.gql(`{ claims(first: 10, filter: { status: [UNVERIFIED] }) { nodes { id } } }`);
    claimIds = body.data.claims.nodes.map((n: { id: string }) => n.id);
  });
  afterAll(() => server?.close());

  test("an edit based on the status the editor saw succeeds; a stale one changes nothing and returns CONFLICT with the current state", async () => {
    const claimId = claimIds[0];
    const first = await server.gql(SET_STATUS, { input: { claimId, status: "IN_REVIEW", expectedStatus: "UNVERIFIED" } }, alice);
    expect(first.body.data.claimSetStatus.userErrors).toEqual([]);
    const stale = await server.gql(
      SET_STATUS,
      { input: { claimId, status: "FALSE", rationale: "No record of it.", expectedStatus: "UNVERIFIED" } },
      bob,
    );
    const { claim, userErrors } = stale.body.data.claimSetStatus;
    expect(userErrors).toEqual([{ field: ["input", "expectedStatus"], code: "CONFLICT", message: expect.stringMatching(/IN_REVIEW/) }]);
    expect(claim.status).toBe("IN_REVIEW");
    expect(claim.history.map((h: { changedBy: string }) => h.changedBy)).toEqual(["Alice"]);
  });

  test("two editors who saw the same status, at the same moment: exactly one verdict lands, the other gets CONFLICT", async () => {
    const claimId = claimIds[1];
    const [a, b] = await Promise.all([
      server.gql(SET_STATUS, { input: { claimId, status: "TRUE", rationale: "Confirmed.", expectedStatus: "UNVERIFIED" } }, alice),
      server.gql(SET_STATUS, { input: { claimId, status: "FALSE", rationale: "Refuted.", expectedStatus: "UNVERIFIED" } }, bob),
    ]);
    const results = [a, b].map((r) => r.body.data.claimSetStatus);
    const winners = results.filter((r) => r.userErrors.length === 0);
    const losers = results.filter((r) => r.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0].userErrors[0].code).toBe("CONFLICT");
    // The loser is shown the winner's verdict, and the history has exactly one entry.
    expect(losers[0].claim.status).toBe(winners[0].claim.status);
    const { body } = await server.gql(`query($id: ID!) { claim(id: $id) { status history { toStatus } } }`, { id: claimId });
    expect(body.data.claim.status).toBe(winners[0].claim.status);
    expect(body.data.claim.history).toEqual([{ toStatus: winners[0].claim.status }]);
  });

  test("without expectedStatus the last write wins, as before", async () => {
    const claimId = claimIds[2];
    await server.gql(SET_STATUS, { input: { claimId, status: "IN_REVIEW" } }, alice);
    const { body } = await server.gql(SET_STATUS, { input: { claimId, status: "MIXED", rationale: "Partly." } }, bob);
    expect(body.data.claimSetStatus.userErrors).toEqual([]);
    expect(body.data.claimSetStatus.claim.status).toBe("MIXED");
  });

  test("attribution takes expectedAttribution the same way", async () => {
    const claimId = claimIds[3];
    const [a, b] = await Promise.all([
      server.gql(SET_ATTRIBUTION, { input: { claimId, attribution: "CONFIRMED_PRIMARY", rationale: "Transcript.", expectedAttribution: "UNCHECKED" } }, alice),
      server.gql(SET_ATTRIBUTION, { input: { claimId, attribution: "DISPUTED", rationale: "Denied.", expectedAttribution: "UNCHECKED" } }, bob),
    ]);
    const results = [a, b].map((r) => r.body.data.claimSetAttribution);
    const codes = results.map((r) => r.userErrors[0]?.code ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    const loser = results.find((r) => r.userErrors.length)!;
    expect(loser.userErrors[0].field).toEqual(["input", "expectedAttribution"]);
    expect(loser.claim.attribution).toBe(results.find((r) => !r.userErrors.length)!.claim.attribution);
    expect(loser.claim.history.filter((h: { aspect: string }) => h.aspect === "ATTRIBUTION")).toHaveLength(1);
  });
});
