import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { liveClient, subscribe } from "./support/live";

// Found by the fourth attack round (2026-12-07); fails on main at a2c7df4. The WebSocket server builds
// its services once (src/http/live.ts), and ProposalService memoises an article's proposal inputs (body,
// the whole source catalogue, claims, dismissals) in a Map that only its own accept/dismiss clear
// (src/proposal/service.ts): for subscriptions it lives as long as the process. An event's
// `article { claimProposals }` keeps listing a proposal an editor dismissed over HTTP (and the Map
// grows by one catalogue per article any subscriber's event touches).
const SET_STATUS = `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { claim { status } } }`;
const DISMISS = `mutation($input: ClaimProposalDismissInput!) { claimProposalDismiss(input: $input) { userErrors { code } } }`;

describe.each(databaseKinds())("proposals in live events (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", RESPONSE_CACHE_MB: "0" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("a proposal dismissed over HTTP is gone from the next event's claimProposals", async () => {
    const editor = await createKey(server, "EDITOR", "Verdict desk");
    const claimId = (await server.gql(`{ claims(first: 1) { nodes { id } } }`)).body.data.claims.nodes[0].id as string;
    const { client, connected } = liveClient(server.url);
    await connected;
    try {
      const events = subscribe(client, `subscription { claimChanged { article { claimProposals(first: 50) { id } } } }`);
      for (let i = 0; i < 100 && server.live.watchers < 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await server.gql(SET_STATUS, { input: { claimId, status: "IN_REVIEW" } }, editor);
      const before = (await events.next()).data.claimChanged.article.claimProposals.map((p: { id: string }) => p.id);
      expect(before.length).toBeGreaterThan(0);
      const dismissed = await server.gql(DISMISS, { input: { proposalId: before[0], reason: "not a claim" } }, editor);
      expect(dismissed.body.data.claimProposalDismiss.userErrors).toEqual([]);
      const again = await server.gql(SET_STATUS, { input: { claimId, status: "MISLEADING", rationale: "Context left out." } }, editor);
      expect(again.body.data.claimSetStatus.claim).not.toBeNull();
      const after = (await events.next()).data.claimChanged.article.claimProposals.map((p: { id: string }) => p.id);
      expect(after).not.toContain(before[0]);
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
