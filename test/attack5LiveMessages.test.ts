import WebSocket from "ws";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the fifth attack round (2026-12-07); both fail on main at f0caed4.
// 1. graphql-ws echoes a ping's payload in its pong with JSON.stringify, which recurses: a ping whose
//    payload nests 30,000 arrays (60 KB, anonymous, before connection_init) overflowed the stack, and
//    the socket was closed 4500 (internal server error) with an error logged per message.
// 2. A subscription id is any string up to the message size (100 KB): kept for the subscription's
//    life and repeated in every event, 20 of them made each claim change send 2 MB to one connection.

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

/** Opens an acknowledged graphql-transport-ws connection, sends `message` and resolves with the close code (null if still open). */
function closeCodeAfter(url: string, message: string): Promise<{ code: number | null; received: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    const received: string[] = [];
    ws.on("error", reject);
    ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: {} })));
    ws.on("message", (data) => {
      const text = String(data);
      if (received.push(text) === 1) {
        ws.send(message);
        // A message that is not refused gets its answer (or none) well within this.
        setTimeout(() => {
          ws.terminate();
          resolve({ code: null, received });
        }, 2_000);
      }
    });
    ws.once("close", (code) => resolve({ code, received }));
  });
}

describe.each(databaseKinds())("attack 5: WebSocket messages (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production" } });
  }, 60_000);
  afterAll(() => server?.close());

  test("a ping nested 30,000 levels deep is the client's mistake (4400), not an internal error", async () => {
    const { code } = await closeCodeAfter(server.url, `{"type":"ping","payload":{"x":${deep(30_000)}}}`);
    expect(code).toBe(4400);
  });

  test("an ordinary ping is still answered, and a nested watch filter still subscribes", async () => {
    const ping = await closeCodeAfter(server.url, `{"type":"ping","payload":{"x":[[{"y":1}]]}}`);
    expect(ping.code).toBeNull();
    expect(ping.received.some((m) => JSON.parse(m).type === "pong")).toBe(true);
    const query = `subscription($f: ClaimWatchFilter) { claimChanged(filter: $f) { id } }`;
    const sub = await closeCodeAfter(server.url, JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables: { f: { kind: ["DIRECT_QUOTE"] } } } }));
    expect(sub.code).toBeNull();
  });

  test("a subscription id longer than 200 characters is refused (4400)", async () => {
    const query = `subscription { claimChanged { id } }`;
    const { code } = await closeCodeAfter(server.url, JSON.stringify({ id: "x".repeat(5_000), type: "subscribe", payload: { query } }));
    expect(code).toBe(4400);
  });
});
