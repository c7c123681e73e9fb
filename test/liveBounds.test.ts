import { randomBytes } from "node:crypto";
import pino from "pino";
import WebSocket from "ws";
import { createServices } from "../src/app/services";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { liveClients, subscribe } from "./support/live";

// Issue 22 findings 3, 4, 11 and the WebSocket side of the key contract (issue 24 item 4).

const WATCH = `subscription($f: ClaimWatchFilter) { claimChanged(filter: $f) { id status } }`;

async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(databaseKinds())("live feed bounds on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  const open = liveClients(() => server.url);

  beforeAll(async () => {
    server = await startServer(kind);
    editor = await createKey(server, "EDITOR", "Bounds desk");
  });
  afterEach(async () => {
    await waitFor(() => server.live.watchers === 0, "subscriptions to end");
  });
  afterAll(() => server?.close());

  test("a batch of changes is matched in one statement whatever the number of watchers; equivalent filters are one", async () => {
    const claimId = (await server.gql(`{ claims(first: 1, filter: { actor: "Pentagon" }) { nodes { id } } }`)).body.data.claims.nodes[0].id;
    const kinds = ["DIRECT_QUOTE", "PARTIAL_QUOTE", "PARAPHRASE", "ALLEGATION", "NONVERBAL"];
    const held = [];
    // 4 connections × 20 subscriptions whose filters differ only by repeats, order and case: one filter.
    for (let c = 0; c < 4; c++) {
      const { client } = open();
      for (let s = 0; s < 20; s++) {
        const kind = [...kinds, ...kinds.slice(0, s % 5)].sort(() => (s % 2 ? 1 : -1));
        held.push(subscribe(client, WATCH, { f: { actor: s % 2 ? "  PENTAGON " : "pentagon", kind } }));
      }
    }
    await waitFor(() => server.live.watchers === 80, "80 subscriptions");
    expect(server.live.filters).toBe(1);
    // 3 more connections × 20 subscriptions with distinct filters (kind subsets, articles, sources).
    const articles = (await server.gql(`{ articles(first: 5) { nodes { id } } }`)).body.data.articles.nodes.map((n: any) => n.id);
    const sources = (await server.gql(`{ sources(first: 20) { nodes { id } } }`)).body.data.sources.nodes.map((n: any) => n.id);
    for (let c = 0; c < 3; c++) {
      const { client } = open();
      for (let s = 0; s < 20; s++) {
        const i = c * 20 + s;
        const f = i % 3 === 0 ? { kind: kinds.filter((_, k) => (i >> k) & 1) } : i % 3 === 1 ? { sourceId: sources[i % sources.length] } : { articleId: articles[i % articles.length], kind: [kinds[i % 5]] };
        held.push(subscribe(client, WATCH, { f }));
      }
    }
    await waitFor(() => server.live.watchers === 140, "140 subscriptions");
    expect(server.live.filters).toBeGreaterThan(30);
    // A normal subscriber on a connection of its own.
    const { client: normal } = open();
    const mine = subscribe(normal, WATCH, { f: { actor: "Pentagon" } });
    await waitFor(() => server.live.watchers === 141, "the normal subscriber");

    server.queries.length = 0;
    await server.gql(`mutation($i: ClaimSetStatusInput!) { claimSetStatus(input: $i) { claim { id } } }`, { i: { claimId, status: "IN_REVIEW" } }, editor);
    const event = await mine.next();
    expect(event.data.claimChanged).toEqual({ id: claimId, status: "IN_REVIEW" });
    // Every equivalent subscriber got it too.
    const equivalent = await Promise.all(held.slice(0, 80).map((h) => h.next()));
    expect(equivalent.every((e) => e.data.claimChanged.id === claimId)).toBe(true);
    // The feed read the change log (claims, sources, events included) once for the batch, not per filter.
    const feedStatements = server.queries.filter((q) => q.includes("claim_change"));
    expect(feedStatements.length).toBeGreaterThanOrEqual(1);
    expect(feedStatements.length).toBeLessThanOrEqual(2);
    await Promise.all([...held, mine].map((h) => h.stop()));
  });

  test("a change fanned out to many subscriptions is handed out in turns: the loop serves other work between events", async () => {
    const held = [];
    for (let c = 0; c < 10; c++) {
      const { client } = open();
      for (let s = 0; s < 20; s++) held.push(subscribe(client, WATCH, {}));
    }
    await waitFor(() => server.live.watchers === 200, "200 subscriptions");
    const [{ n }] = await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM claim`);
    const want = server.live.eventsHandedOut + 200 * n;
    // A probe that runs once per loop iteration (setImmediate) records how many events had been
    // handed out each time: events handed out in one burst would show as one big step.
    const steps: number[] = [];
    let last = server.live.eventsHandedOut;
    let probing = true;
    const probe = () => {
      steps.push(server.live.eventsHandedOut - last);
      last = server.live.eventsHandedOut;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    await server.db.withSession((s) => s.exec(`UPDATE claim SET note = coalesce(note, '') || ' '`));
    const readers = held.map(async (h) => {
      for (let i = 0; i < n; i++) await h.next();
    });
    await Promise.all(readers);
    probing = false;
    expect(server.live.eventsHandedOut).toBe(want);
    // Handed out over many loop iterations, none taking more than 1% of the fan-out: without turns
    // the whole fan-out ran in one stretch (on PGlite, without a single iteration in between).
    expect(steps.filter((step) => step > 0).length).toBeGreaterThanOrEqual(100);
    expect(steps.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(Math.ceil((200 * n) / 100));
    await Promise.all(held.map((h) => h.stop()));
  });

  test("a WebSocket variable that does not coerce is BAD_USER_INPUT, as over HTTP", async () => {
    const { client, connected } = open();
    await connected;
    const errorsOf = async (query: string, variables: Record<string, unknown>) => {
      try {
        return (await subscribe(client, query, variables).next()).errors;
      } catch (errors) {
        return errors as { message: string; extensions: { code: string } }[];
      }
    };
    const wrongEnum = await errorsOf(WATCH, { f: { kind: ["NOT_A_KIND"] } });
    expect(wrongEnum.map((e: any) => e.extensions.code)).toEqual(["BAD_USER_INPUT"]);
    expect(wrongEnum[0].message).toMatch(/NOT_A_KIND/);
    const missing = await errorsOf(`subscription($a: ID!) { articleClaimsChanged(articleId: $a) { id } }`, {});
    expect(missing.map((e: any) => e.extensions.code)).toEqual(["BAD_USER_INPUT"]);
    const http = await server.gql(`query($f: ClaimFilter) { claims(filter: $f) { totalCount } }`, { f: { kind: ["NOT_A_KIND"] } });
    expect(http.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  test("the key contract on WebSocket: missing is anonymous; malformed, unknown and revoked are anonymous with a warning", async () => {
    const ack = (params?: Record<string, unknown>) => open(params).connected;
    expect(await ack()).toBeUndefined();
    expect(await ack({ Authorization: `Bearer ${editor}` })).toBeUndefined();
    const warning = (reason: string) => ({ warnings: [expect.objectContaining({ code: "INVALID_CREDENTIALS", reason })] });
    expect(await ack({ Authorization: "Bearer cgk_short" })).toEqual(warning("MALFORMED"));
    expect(await ack({ Authorization: "Basic abc" })).toEqual(warning("MALFORMED"));
    expect(await ack({ Authorization: `Bearer cgk_${randomBytes(32).toString("base64url")}` })).toEqual(warning("UNKNOWN"));
    const services = createServices(server.db);
    const { apiKey, secret } = await services.apiKeys.create({ name: "Revoked desk", role: "EDITOR" });
    await services.apiKeys.revoke(apiKey.id);
    const revoked = open({ Authorization: `Bearer ${secret}` });
    expect(await revoked.connected).toEqual(warning("REVOKED"));
    // The connection stays open and serves public subscriptions anonymously.
    const watch = subscribe(revoked.client, WATCH, { f: { actor: "Pentagon" } });
    await waitFor(() => server.live.watchers === 1, "the anonymous subscription");
    await watch.stop();
  });
});

describe("slow consumers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite", { env: { LIVE_MAX_BUFFER_BYTES: "65536", LIVE_MAX_PENDING_EVENTS: "50" } });
  });
  afterAll(() => server?.close());

  test("a client that stops reading is closed with 1013 before its backlog grows; the server's memory stays bounded", async () => {
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    const messages: string[] = [];
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    await new Promise((resolve) => socket.once("open", resolve));
    socket.on("message", (data) => messages.push(String(data).slice(0, 40)));
    socket.send(JSON.stringify({ type: "connection_init" }));
    await waitFor(() => messages.some((m) => m.includes("connection_ack")), "the acknowledgement");
    for (const id of ["a", "b"]) {
      socket.send(JSON.stringify({ id, type: "subscribe", payload: { query: `subscription { claimChanged { id text note } }` } }));
    }
    await waitFor(() => server.live.watchers === 2, "2 subscriptions");
    // Stop reading: TCP fills, then the server's send buffer and pending events would grow.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const rssBefore = process.memoryUsage().rss;
    let writes = 0;
    // Each write changes every claim with a ~10 KB note: ~300 KB of events per subscription.
    while (server.live.slowConsumersClosed === 0 && writes < 300) {
      await server.db.withSession((s) => s.exec(`UPDATE claim SET note = repeat(md5(random()::text), 300)`));
      writes++;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(server.live.slowConsumersClosed).toBe(1);
    // Reading again, the client gets what was buffered, then the close frame with the documented code.
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(1013);
    await waitFor(() => server.live.watchers === 0, "its subscriptions to end");
    const grownMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(grownMb).toBeLessThan(150);
    expect(writes).toBeLessThan(300);
  });
});

describe("a slow consumer cut with writes queued", () => {
  let server: TestServer;
  /** What the server logged at warn and above. */
  const logged: { level: number; msg: string }[] = [];
  const capture = pino({ level: "warn" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  beforeAll(async () => {
    // Room for enough pending events (~10 KB each) to fill the kernel buffers first: writes are left queued on the socket.
    server = await startServer("pglite", { env: { LIVE_MAX_BUFFER_BYTES: "65536", LIVE_MAX_PENDING_EVENTS: "2000" }, log: capture });
  });
  afterAll(() => server?.close());

  test("a slow consumer that never reads again is cut after the grace; the writes that fail on its socket are not logged as errors", async () => {
    const closedBefore = server.live.slowConsumersClosed;
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    socket.on("error", () => undefined);
    const messages: string[] = [];
    await new Promise((resolve) => socket.once("open", resolve));
    socket.on("message", (data) => messages.push(String(data).slice(0, 40)));
    socket.send(JSON.stringify({ type: "connection_init" }));
    await waitFor(() => messages.some((m) => m.includes("connection_ack")), "the acknowledgement");
    for (const id of ["a", "b", "c", "d"]) {
      socket.send(JSON.stringify({ id, type: "subscribe", payload: { query: `subscription { claimChanged { id text note } }` } }));
    }
    await waitFor(() => server.live.watchers === 4, "4 subscriptions");
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    let writes = 0;
    while (server.live.slowConsumersClosed === closedBefore && writes < 300) {
      await server.db.withSession((s) => s.exec(`UPDATE claim SET note = repeat(md5(random()::text), 300)`));
      writes++;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(server.live.slowConsumersClosed).toBe(closedBefore + 1);
    // Never reading again: the server cuts it after the grace, failing the writes still queued.
    await waitFor(() => server.live.watchers === 0, "its subscriptions to end");
    await new Promise((r) => setTimeout(r, 200));
    expect(logged.some((line) => line.msg === "closing a slow WebSocket consumer")).toBe(true);
    expect(logged.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
    socket.terminate();
  });
});
