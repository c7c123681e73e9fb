import net from "node:net";
import pino from "pino";
import { toGlobalId } from "../src/graphql/globalId";
import { PIPELINE_MAX } from "../src/http/sending";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

// Found by the sixth attack round (finding 2, 2026-12-07); fails on main at c38f64b.
// An HTTP answer stayed in the process until its socket had sent it, and nothing bounded that: 40
// anonymous connections that each asked for an 18 MB answer (from the response cache after the first)
// and never read held 700 MiB with none closed; one connection pipelining 150 such requests held
// 900 MiB. Below, answers of about 12 MB — more than the kernel's socket buffers take in, so the rest
// stays in the process — against a budget of one answer (HTTP_MAX_UNSENT_BYTES).

const BUDGET = 16 * 1024 * 1024;
const BODY = "Officials said the talks went well and more meetings would follow soon. ".repeat(820).slice(0, 60_000);
/** Two aliases of 100 copies of a 60,000-character body: 12 MB, within every query limit. */
const QUERY = `query($ids: [ID!]!) { a: nodes(ids: $ids) { ... on Article { body } } b: nodes(ids: $ids) { ... on Article { body } } }`;

async function longArticle(server: TestServer): Promise<string> {
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const article = await server.db.prisma.article.create({
    data: { url: `https://example.org/long/${stamp}`, slug: `long-${stamp}`, title: "Long", publication: "P", authors: ["A"], tags: [], publishedAt: new Date("2026-01-01T00:00:00Z"), body: BODY, contentHash: stamp },
  });
  return toGlobalId("Article", article.id);
}

function request(articleId: string): string {
  const payload = JSON.stringify({ query: QUERY, variables: { ids: Array(100).fill(articleId) } });
  return `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
}

/**
 * A raw connection that sends `data`, reads the first piece of the answer and then stops reading.
 * Its answers carry a Content-Length (the response cache is off: a cached answer is sent chunked).
 */
async function stalled(server: TestServer, data: string) {
  const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
  let head = "";
  let remaining = 0;
  let answers = 0;
  let closed = false;
  socket.on("error", () => undefined);
  socket.on("close", () => (closed = true));
  const first = new Promise((resolve) => socket.once("data", resolve));
  socket.on("data", (d: Buffer) => {
    while (d.length > 0) {
      if (remaining > 0) {
        const taken = Math.min(remaining, d.length);
        [remaining, d] = [remaining - taken, d.subarray(taken)];
        if (remaining === 0) answers++;
        continue;
      }
      head += d.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      remaining = Number(/content-length: (\d+)/i.exec(head.slice(0, end))![1]);
      if (remaining === 0) answers++;
      d = Buffer.from(head.slice(end + 4), "latin1");
      head = "";
    }
  });
  socket.write(data);
  await first;
  socket.pause();
  return {
    /** Reads again until `count` answers are whole (true) or the server has closed the connection first (false). */
    async rest(count = 1): Promise<boolean> {
      const done = new Promise((resolve) => {
        socket.on("data", () => answers >= count && resolve(true)).once("close", resolve);
        if (answers >= count || closed) resolve(true);
      });
      socket.resume();
      await done;
      socket.destroy();
      return answers >= count;
    },
  };
}

async function waitFor(check: () => boolean, what: string) {
  for (let i = 0; i < 1_500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!check()) throw new Error(`never saw ${what}`);
}

describe.each(databaseKinds())("attack 6: HTTP answers clients do not read (%s)", (kind) => {
  describe("HTTP_MAX_UNSENT_BYTES", () => {
    let server: TestServer;
    let articleId: string;
    const logged: { msg: string }[] = [];
    const capture = pino({ level: "warn" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    beforeAll(async () => {
      server = await startServer(kind, { seed: false, env: { NODE_ENV: "production", HTTP_MAX_UNSENT_BYTES: String(BUDGET), RESPONSE_CACHE_MB: "0" }, log: capture });
      articleId = await longArticle(server);
    }, 60_000);
    afterAll(() => server?.close());

    test("connections that stop reading hold one budget in all: each new answer cuts the one held before", async () => {
      const clients = [];
      // One after the other: each answer is written (its first bytes arrived) before the next is asked.
      for (let i = 0; i < 4; i++) clients.push(await stalled(server, request(articleId)));
      const whole = [];
      for (const client of clients) whole.push(await client.rest());
      expect(whole).toEqual([false, false, false, true]);
      expect(logged.filter((l) => /HTTP_MAX_UNSENT_BYTES/.test(l.msg))).toHaveLength(3);
    }, 60_000);

    test("pipelined requests wait for the answer before them: three 12 MB answers on one connection fit a budget of one", async () => {
      const client = await stalled(server, request(articleId).repeat(3));
      // A request worked out before the answer ahead of it is sent would pass the budget and cut the connection.
      expect(await client.rest(3)).toBe(true);
    }, 60_000);

    test(`a connection pipelining more than ${PIPELINE_MAX} requests behind an unsent answer is cut`, async () => {
      logged.length = 0;
      const count = PIPELINE_MAX + 10;
      const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
      let received = "";
      socket.on("data", (d) => (received += d.toString("latin1")));
      socket.on("error", () => undefined);
      // All in one write: parsed at once, before any answer is sent.
      socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".repeat(count));
      await new Promise((resolve) => socket.once("close", resolve));
      expect(received.split("HTTP/1.1 200").length - 1).toBeLessThan(count);
      expect(logged.map((l) => l.msg)).toEqual([expect.stringMatching(/pipelined more than/)]);
      expect((await server.gql("{ __typename }")).status).toBe(200);
    });
  });

  describe("SEND_TIMEOUT_MS", () => {
    let server: TestServer;
    let articleId: string;
    const logged: { msg: string }[] = [];
    const capture = pino({ level: "warn" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    beforeAll(async () => {
      server = await startServer(kind, { seed: false, env: { NODE_ENV: "production", SEND_TIMEOUT_MS: "300", RESPONSE_CACHE_MB: "0" }, log: capture });
      articleId = await longArticle(server);
    }, 60_000);
    afterAll(() => server?.close());

    test("a connection whose client takes nothing of its answer is cut, within the budget", async () => {
      const client = await stalled(server, request(articleId));
      await waitFor(() => logged.some((l) => /SEND_TIMEOUT_MS/.test(l.msg)), "the connection cut for sending nothing");
      expect(await client.rest()).toBe(false);
      expect((await server.gql("{ __typename }")).status).toBe(200);
    }, 60_000);
  });
});
