import WebSocket from "ws";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { liveClient, liveClients, startReplica, subscribe } from "./support/live";

const CLAIM_CHANGED = `
  subscription Watch($filter: ClaimWatchFilter) {
    claimChanged(filter: $filter) { id status source { name } history { toStatus changedBy } }
  }`;

const SET_STATUS = `
  mutation Set($input: ClaimSetStatusInput!) {
    claimSetStatus(input: $input) { claim { id status } userErrors { code } }
  }`;

describe.each(databaseKinds())("live updates on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let claimsOf: (actor: string) => Promise<string[]>;
  const open = liveClients(() => server.url);

  beforeAll(async () => {
    server = await startServer(kind, { env: { LIVE_MAX_SUBSCRIPTIONS: "3" } });
    editor = await createKey(server, "EDITOR", "Live desk");
    claimsOf = async (actor) =>
      (await server.gql(`query($a: String) { claims(filter: { actor: $a }) { nodes { id } } }`, { a: actor })).body.data.claims.nodes.map(
        (n: { id: string }) => n.id,
      );
  });
  // graphql-ws sends nothing when a subscription starts: wait until the server has registered them.
  const subscribed = (n: number) => waitFor(async () => server.live.watchers >= n);
  afterAll(() => server?.close());

  test("a verdict change reaches the subscribers whose filter matches, with its new state", async () => {
    const [pentagonClaim] = await claimsOf("Pentagon");
    const [khameneiClaim] = await claimsOf("Khamenei");
    // The connection's key reads who changed the verdict; an anonymous connection gets null.
    const { client, connected } = open({ Authorization: `Bearer ${editor}` });
    const anonymous = open();
    await Promise.all([connected, anonymous.connected]);
    const pentagon = subscribe(client, CLAIM_CHANGED, { filter: { actor: "Pentagon" } });
    const khamenei = subscribe(client, CLAIM_CHANGED, { filter: { actor: "khamenei" } });
    const unkeyed = subscribe(anonymous.client, CLAIM_CHANGED, { filter: { actor: "khamenei" } });
    await subscribed(3);
    // The Pentagon claim changes first: a Khamenei subscriber that saw it would fail below.
    await server.gql(SET_STATUS, { input: { claimId: pentagonClaim, status: "IN_REVIEW" } }, editor);
    await server.gql(SET_STATUS, { input: { claimId: khameneiClaim, status: "MISLEADING", rationale: "Context left out." } }, editor);
    const [p, k] = await Promise.all([pentagon.next(), khamenei.next()]);
    expect(p.data.claimChanged).toMatchObject({ id: pentagonClaim, status: "IN_REVIEW" });
    expect(k.data.claimChanged).toMatchObject({ id: khameneiClaim, status: "MISLEADING" });
    expect(k.data.claimChanged.source.name).toMatch(/Khamenei/);
    expect(k.data.claimChanged.history[0]).toEqual({ toStatus: "MISLEADING", changedBy: "Live desk" });
    expect((await unkeyed.next()).data.claimChanged.history[0]).toEqual({ toStatus: "MISLEADING", changedBy: null });
    await pentagon.stop();
    await khamenei.stop();
    await unkeyed.stop();
  });

  test("a change written outside the API, on another connection (as psql or a seed import would), is delivered too", async () => {
    const { client, connected } = open();
    await connected;
    const article = (await server.gql(`{ articles(first: 1) { nodes { id claims { id } } } }`)).body.data.articles.nodes[0];
    const watch = subscribe(client, `subscription($a: ID!) { articleClaimsChanged(articleId: $a) { id attribution } }`, { a: article.id });
    const target = article.claims[1].id as string;
    const uuid = Buffer.from(target, "base64url").toString().split(":")[1];
    await subscribed(1);
    await server.db.withSession((s) => s.exec(`UPDATE claim SET attribution = 'DISPUTED' WHERE id = '${uuid}'`));
    const event = await watch.next();
    expect(event.data.articleClaimsChanged).toEqual({ id: target, attribution: "DISPUTED" });
    await watch.stop();
  });

  test("connectionParams carry the key, under the HTTP contract: a bad one leaves the connection anonymous, with a warning", async () => {
    expect(await open({ Authorization: `Bearer ${editor}` }).connected).toBeUndefined();
    const stale = await open({ Authorization: "Bearer cgk_not-a-real-key" }).connected;
    expect(stale).toEqual({ warnings: [expect.objectContaining({ code: "INVALID_CREDENTIALS", reason: "MALFORMED" })] });
  });

  test("the query limits, masking and caps apply", async () => {
    const { client, connected } = open();
    await connected;
    const errorOf = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
      try {
        const result = await subscribe(client, query, variables).next();
        return result.errors;
      } catch (errors) {
        return errors as { message: string; extensions: { code: string } }[];
      }
    };
    const deep = `subscription { claimChanged { ${"source { claims { nodes { ".repeat(4)} id ${"} } } ".repeat(4)} } }`;
    expect((await errorOf(deep))[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const costly = `subscription { claimChanged { source { claims(first: 100) { nodes { source { claims(first: 100) { nodes { id text } } } } } } } }`;
    expect((await errorOf(costly))[0].extensions.code).toBe("QUERY_COST_LIMIT_EXCEEDED");
    expect((await errorOf(`{ claims { totalCount } }`))[0].extensions.code).toBe("BAD_REQUEST");
    expect((await errorOf(`subscription { articleClaimsChanged(articleId: "nope") { id } }`))[0].extensions.code).toBe("BAD_USER_INPUT");
    expect((await errorOf(`subscription { claimChanged { nope } }`))[0].message).toMatch(/nope/);
    // The cap counts live subscriptions on this connection.
    const held = [1, 2, 3].map(() => subscribe(client, CLAIM_CHANGED));
    const refused = await errorOf(CLAIM_CHANGED);
    expect(refused[0].extensions.code).toBe("TOO_MANY_SUBSCRIPTIONS");
    await Promise.all(held.map((h) => h.stop()));
  });

  test("over HTTP a subscription is refused with a pointer to WebSocket", async () => {
    const { body } = await server.gql(CLAIM_CHANGED);
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(body.errors[0].message).toMatch(/WebSocket/);
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg("live updates across replicas", () => {
  test("a verdict changed through one replica reaches a subscriber of another", async () => {
    const a = await startServer("postgres");
    const replica = await startReplica(a);
    const { live } = replica;
    const b = liveClient(replica.url);
    try {
      const editor = await createKey(a, "EDITOR", "Replica A desk");
      const claimId = (await a.gql(`{ claims(first: 1, filter: { actor: "Pentagon" }) { nodes { id } } }`)).body.data.claims.nodes[0].id;
      await b.connected;
      const watch = subscribe(b.client, CLAIM_CHANGED, { filter: { actor: "Pentagon" } });
      while (live.watchers < 1) await new Promise((r) => setTimeout(r, 20));
      await a.gql(SET_STATUS, { input: { claimId, status: "FALSE", rationale: "Refuted." } }, editor);
      const event = await watch.next();
      expect(event.data.claimChanged).toMatchObject({ id: claimId, status: "FALSE", history: [{ toStatus: "FALSE", changedBy: null }] });
    } finally {
      await b.client.dispose();
      await replica.close();
      await a.close();
    }
  });
});

describe("live connections", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite", { seed: false, env: { LIVE_MAX_CONNECTIONS: "1" } });
  });
  afterAll(() => server?.close());

  test("are capped per process, and closed with 1012 (service restart) on shutdown", async () => {
    const first = liveClient(server.url);
    await first.connected;
    const second = liveClient(server.url);
    await expect(second.connected).rejects.toThrow();
    await server.live.close();
    expect(await first.closed).toBe(1012);
  });
});

describe("live connections per address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite", { seed: false, env: { LIVE_MAX_CONNECTIONS_PER_ADDRESS: "2" } });
  });
  afterAll(() => server?.close());

  /** The upgrade's answer: open, or refused with a status and its Retry-After. */
  const upgrade = (ws: WebSocket) =>
    new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
      ws.once("open", () => resolve({ status: 101 }));
      ws.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] as string | undefined }));
      ws.once("error", reject);
    });

  test("one address gets at most LIVE_MAX_CONNECTIONS_PER_ADDRESS; more are 503 with Retry-After until one closes", async () => {
    const url = `${server.url.replace(/^http/, "ws")}/graphql`;
    const open = [new WebSocket(url, "graphql-transport-ws"), new WebSocket(url, "graphql-transport-ws")];
    expect(await Promise.all(open.map(upgrade))).toEqual([{ status: 101 }, { status: 101 }]);
    const third = new WebSocket(url, "graphql-transport-ws");
    const refused = await upgrade(third);
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // A slot freed is a slot again.
    const closed = new Promise((resolve) => open[0].once("close", resolve));
    open[0].close();
    await closed;
    let again: { status: number } = { status: 0 };
    for (let i = 0; i < 50 && again.status !== 101; i++) {
      const ws = new WebSocket(url, "graphql-transport-ws");
      again = await upgrade(ws);
      if (again.status === 101) open.push(ws);
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(again.status).toBe(101);
    for (const ws of open) ws.terminate();
  });
});

async function waitFor(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}
