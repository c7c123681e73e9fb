import net from "node:net";
import pino from "pino";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

/**
 * A body over BODY_LIMIT_BYTES that declares no length (chunked) is refused like one that declares
 * it, with 413 PAYLOAD_TOO_LARGE, not a connection dropped without an answer (the request is paused
 * and answered with Connection: close, not destroyed).
 */
const LIMIT = 10_000;

/** Sends the request's bytes, stops writing, and returns all the server answered before closing. */
function exchange(port: number, parts: string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (d) => (text += d.toString()));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(text));
    socket.on("connect", () => {
      for (const part of parts) socket.write(part);
    });
  });
}

const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;

describe.each(databaseKinds())("an oversize chunked body on %s", (kind) => {
  let server: TestServer;
  /** What the server logged at warn and above. */
  const logged: { level: number; msg: string }[] = [];
  const capture = pino({ level: "warn" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  beforeAll(async () => {
    server = await startServer(kind, { env: { BODY_LIMIT_BYTES: String(LIMIT), NODE_ENV: "production", RESPONSE_CACHE_MB: "0" }, log: capture });
  });
  afterAll(() => server?.close());

  test("is answered 413 PAYLOAD_TOO_LARGE, and the server serves the next request", async () => {
    const head = "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    const padding = "x".repeat(LIMIT / 2 + 1);
    // Two chunks over the limit in all, then nothing more: the server has read every byte sent.
    const answer = await exchange(Number(new URL(server.url).port), [head, chunk(`{"query":"{ claims { totalCount } }","p":"${padding}`), chunk(`${padding}"}`)]);
    expect({ status: answer.split("\r\n")[0], code: answer.match(/"code":"(\w+)"/)?.[1] }).toEqual({ status: "HTTP/1.1 413 Payload Too Large", code: "PAYLOAD_TOO_LARGE" });
    const after = await server.gql("{ claims { totalCount } }");
    expect(after.status).toBe(200);
  });

  test("a client that resets its socket halfway through the body is not logged as the database's trouble (nor at all above debug)", async () => {
    logged.length = 0;
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
      socket.on("error", () => undefined);
      socket.on("close", () => resolve());
      socket.on("connect", () => {
        socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\":");
        // An RST, as a client that crashes or a proxy that gives up sends (ECONNRESET on the server).
        setTimeout(() => socket.resetAndDestroy(), 100);
      });
    });
    // The server serves the next request, by then it has seen the reset too.
    expect((await server.gql("{ claims { totalCount } }")).status).toBe(200);
    expect(logged.map((l) => l.msg)).toEqual([]);
  });

  test("a Content-Type header padded past 256 characters is refused before Apollo's quadratic MIME parser sees it", async () => {
    // Found by the second attack round: "application/json;" + 15,000 spaces + "charset=utf-8" cost 0.33 s
    // of the event loop per anonymous request inside Apollo.
    const post = (contentType: string) =>
      fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": contentType }, body: JSON.stringify({ query: "{ claims(first: 1) { totalCount } }" }) });
    const padded = await post(`application/json;${" ".repeat(15_000)}charset=utf-8`);
    expect(padded.status).toBe(400);
    expect(((await padded.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("BAD_REQUEST");
    expect((await post("application/json; charset=utf-8")).status).toBe(200);
  });
});
