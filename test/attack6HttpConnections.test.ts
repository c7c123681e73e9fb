import net from "node:net";
import pino from "pino";
import { databaseKinds, startServer, type TestServer } from "./support/harness";
import { DESCRIPTORS_KEPT, connectionCap } from "../src/http/connectionSlots";

// Found by the sixth attack round (finding 7, 2026-12-07); fails on main at c38f64b.
// HTTP had no connection limit, per address or in all (WebSockets had both): one client holding
// 1,000 connections open by sending its headers slowly, reopening each as it was cut, took every file
// descriptor of a process limited to 1,024, and everyone else got ECONNRESET. Loopback lends the test
// more addresses (127.0.0.2, 127.0.0.3) as other clients.

/** A keep-alive connection from `from` that has been answered once (so the server has surely counted it), then held. */
async function held(server: TestServer, from: string): Promise<net.Socket> {
  const socket = net.connect({ port: Number(new URL(server.url).port), host: "127.0.0.1", localAddress: from });
  socket.on("error", () => undefined);
  const answer = await exchangeOn(socket);
  expect(answer).toMatch(/^HTTP\/1\.1 200/);
  return socket;
}

/** Sends one request on `socket` and resolves with the answer's first bytes, or "" when the server closes the connection without any. */
function exchangeOn(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    const done = (text: string) => {
      socket.off("data", onData).off("close", onClose);
      resolve(text);
    };
    const onData = (d: Buffer) => done(d.toString());
    const onClose = () => done("");
    socket.on("data", onData).on("close", onClose);
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  });
}

/** One request on a new connection from `from`. */
async function once(server: TestServer, from: string): Promise<string> {
  const socket = net.connect({ port: Number(new URL(server.url).port), host: "127.0.0.1", localAddress: from });
  socket.on("error", () => undefined);
  const answer = await exchangeOn(socket);
  socket.destroy();
  return answer;
}

describe.each(databaseKinds())("attack 6: HTTP connection slots (%s)", (kind) => {
  let server: TestServer;
  const logged: { msg: string; why?: string }[] = [];
  const capture = pino({ level: "warn" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  beforeAll(async () => {
    const env = { HTTP_MAX_CONNECTIONS: "3", HTTP_MAX_CONNECTIONS_PER_ADDRESS: "2", KEEP_ALIVE_TIMEOUT_MS: "60000" };
    server = await startServer(kind, { seed: false, env, log: capture });
  });
  afterAll(() => server?.close());

  test("one address gets HTTP_MAX_CONNECTIONS_PER_ADDRESS, the process HTTP_MAX_CONNECTIONS; more are closed unanswered until a slot frees", async () => {
    const open = [await held(server, "127.0.0.1"), await held(server, "127.0.0.1")];
    expect(await once(server, "127.0.0.1")).toBe("");
    expect(logged.some((l) => l.why === "HTTP_MAX_CONNECTIONS_PER_ADDRESS")).toBe(true);
    // Another client still gets in, up to the total.
    open.push(await held(server, "127.0.0.2"));
    expect(await once(server, "127.0.0.3")).toBe("");
    // A slot freed is a slot again (once the server has seen the close).
    open[0].destroy();
    let again = "";
    for (let i = 0; i < 100 && !again; i++) {
      again = await once(server, "127.0.0.1");
      if (!again) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(again).toMatch(/^HTTP\/1\.1 200/);
    for (const socket of open) socket.destroy();
  });
});

// Found by the round's verification: with the default 4,096 and `ulimit -n 1024`, connections from five addresses
// took every descriptor and the database pool could open none (EMFILE). The cap is kept under the open-file limit.
test("the total connection cap stays under the process's open-file limit, less what the pool and files need", () => {
  expect(connectionCap(4_096, 1_024)).toBe(1_024 - DESCRIPTORS_KEPT);
  expect(connectionCap(500, 1_024)).toBe(500);
  expect(connectionCap(0, 1_024)).toBe(0);
  expect(connectionCap(4_096, null)).toBe(4_096);
});
