import { createServices } from "../src/app/services";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { liveClient, subscribe } from "./support/live";

// Found by the attack round of 2026-12-07: a key was checked once, at connection_init. README "API keys": a
// revoked key is answered anonymously; `changedBy` is for key holders only ("key names are internal").
// A WebSocket opened with a key keeps that key's reads after the key is revoked, for as long as the
// socket stays open (a client that answers pings never has to reconnect).
const WATCH = `subscription($f: ClaimWatchFilter) { claimChanged(filter: $f) { id status history { toStatus changedBy } } }`;
const SET_STATUS = `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { claim { status } } }`;

describe.each(databaseKinds())("a key revoked while its WebSocket is open (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production" } });
  }, 60_000);
  afterAll(() => server?.close());

  /** An editor, and a VIEWER whose WebSocket watches every claim (registered on the server). */
  async function viewerWatching(editorName: string, viewerName: string) {
    const editor = await createKey(server, "EDITOR", editorName);
    const viewer = await createKey(server, "VIEWER", viewerName);
    const claimId = (await server.gql(`{ claims(first: 1) { nodes { id } } }`)).body.data.claims.nodes[0].id as string;
    const { client, connected } = liveClient(server.url, { Authorization: `Bearer ${viewer}` });
    await connected;
    const events = subscribe(client, WATCH, {});
    // graphql-ws sends nothing when a subscription starts: let the server register it.
    for (let i = 0; i < 100 && server.live.watchers < 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    return { editor, viewer, claimId, client, events };
  }

  test("events after the revocation are read as the anonymous reader reads them (changedBy null)", async () => {
    const { editor, viewer, claimId, client, events } = await viewerWatching("Verdict desk", "Leaked viewer");
    try {
      // Revoked by an admin (the API's own service, as apiKeyRevoke does).
      const services = createServices(server.db);
      const key = (await services.apiKeys.list()).find((k) => k.name === "Leaked viewer")!;
      await services.apiKeys.revoke(key.id);
      // Over HTTP the revoked key is now anonymous:
      const http = await server.gql(`{ node(id: "${claimId}") { ... on Claim { history { changedBy } } } }`, undefined, viewer);
      expect(http.body.extensions.warnings[0].reason).toBe("REVOKED");
      const set = await server.gql(SET_STATUS, { input: { claimId, status: "IN_REVIEW" } }, editor);
      expect(set.body.errors).toBeUndefined();
      const event = await events.next();
      expect(event.data.claimChanged.status).toBe("IN_REVIEW");
      // Before: "Verdict desk", the internal key name, sent to a socket whose key is revoked.
      expect(event.data.claimChanged.history.map((h: { changedBy: string | null }) => h.changedBy)).toEqual(event.data.claimChanged.history.map(() => null));
      events.stop();
    } finally {
      await client.dispose();
    }
  }, 60_000);

  test("a key revoked behind this server's back (another replica, the CLI, SQL) stops reading within seconds", async () => {
    const { editor, claimId, client, events } = await viewerWatching("Desk two", "Revoked elsewhere");
    try {
      // Not through this server's services: its key list hears of it only by reloading.
      await server.db.prisma.apiKey.updateMany({ where: { name: "Revoked elsewhere" }, data: { revokedAt: new Date() } });
      let names: (string | null)[] = ["Desk two"];
      for (let i = 0; i < 40 && names.some((n) => n !== null); i++) {
        await server.gql(SET_STATUS, { input: { claimId, status: i % 2 ? "UNVERIFIED" : "IN_REVIEW" } }, editor);
        const event = await events.next();
        names = event.data.claimChanged.history.map((h: { changedBy: string | null }) => h.changedBy);
        if (names.some((n) => n !== null)) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(names.every((n) => n === null)).toBe(true);
      events.stop();
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
