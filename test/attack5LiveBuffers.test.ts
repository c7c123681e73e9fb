import WebSocket from "ws";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the fifth attack round (2026-12-07); fails on main at f0caed4.
// Unsent WebSocket data was bounded per connection (LIVE_MAX_BUFFER_BYTES, 4 MiB) but not per
// process: a client that subscribes and stops reading keeps up to 4 MiB on the server until its
// buffer overflows (closed) or the heartbeat cuts it (up to 2 × LIVE_KEEPALIVE_MS), so the bound
// was LIVE_MAX_CONNECTIONS × 4 MiB = 4 GiB, live data, not garbage. Below: 16 anonymous connections,
// each one subscription replaying the seed's changes from a made-up cursor with 15 aliases of
// `article { claims { article { body } } }` (3.8 MB an event) and never reading, held 60.6 MB and
// none was closed (on PostgreSQL and the embedded database alike).

const HEAVY = (aliases: number) =>
  `subscription($a: String) { claimChanged(after: $a) { id ${Array.from({ length: aliases }, (_, i) => `a${i}: article { claims { article { body } } }`).join(" ")} } }`;
/** The first position of the log: every change since the seed is replayed. */
const FIRST = Buffer.from("c1:0:0").toString("base64url");
const TOTAL = 8 * 1024 * 1024;

/** A raw graphql-transport-ws connection that subscribes, then stops reading its socket. */
function stalledConnection(url: string, subscriptions: number, query: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    ws.on("error", () => undefined);
    ws.once("close", (code) => reject(new Error(`closed with ${code} before the acknowledgement`)));
    ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: {} })));
    ws.once("message", () => {
      for (let id = 0; id < subscriptions; id++) ws.send(JSON.stringify({ id: String(id), type: "subscribe", payload: { query, variables: { a: FIRST } } }));
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      resolve(ws);
    });
  });
}

describe.each(databaseKinds())("attack 5: unsent WebSocket data per process (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production", LIVE_MAX_BUFFER_TOTAL_BYTES: String(TOTAL) } });
  }, 60_000);
  afterAll(() => server?.close());

  test("connections that stop reading hold at most LIVE_MAX_BUFFER_TOTAL_BYTES of unsent data in all", async () => {
    const sockets = await Promise.all(Array.from({ length: 16 }, () => stalledConnection(server.url, 1, HEAVY(15))));
    try {
      let most = 0;
      // Until the server has written what it could and closed what overflowed; sampled, not timed.
      for (let i = 0; i < 500; i++) {
        most = Math.max(most, server.live.bufferedBytes);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(server.live.eventsHandedOut).toBeGreaterThanOrEqual(16);
      expect(most).toBeLessThanOrEqual(TOTAL);
    } finally {
      for (const ws of sockets) ws.terminate();
    }
  }, 60_000);
});
