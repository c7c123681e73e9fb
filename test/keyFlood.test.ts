import { createHash, randomBytes } from "node:crypto";
import { KEY_RELOAD_INTERVAL_MS } from "../src/auth/directory";
import { PUBLISHER } from "./support/claimReviewRules";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const SEARCH = `query($s: String!) { claims(first: 20, filter: { search: $s }) { totalCount nodes { id text source { name } } } }`;
const WORDS = ["Soleimani", "strike", "briefed", "plan", "Graham", "congressional", "leaders", "legally", "justified", "force"];
const SET_STATUS = `mutation($input: ClaimSetStatusInput!) { claimSetStatus(input: $input) { claim { status } userErrors { code } } }`;

/** A well-formed key nobody issued. */
const invented = () => `cgk_${randomBytes(32).toString("base64url")}`;

interface Answer {
  status: number;
  codes: (string | undefined)[];
  warning?: string;
  /** Refused before it ran, as only a request that may be shed is (src/http/app.ts). */
  shedAtTheDoor: boolean;
}

async function search(server: TestServer, i: number, key: string): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: SEARCH, variables: { s: WORDS[i % WORDS.length] } }),
  });
  const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[]; extensions?: { warnings?: { reason: string }[] } };
  return {
    status: res.status,
    codes: (body.errors ?? []).map((e) => e.extensions?.code),
    warning: body.extensions?.warnings?.[0]?.reason,
    shedAtTheDoor: (body.errors ?? []).some((e) => /every database connection is busy/.test(e.message)),
  };
}

/** Statements that read the key table: the whole list (a reload) or one key by its hash (a look-up). */
function keyReads(server: TestServer) {
  const reads = server.queries.filter((sql) => /"api_key"/.test(sql) && /^\s*SELECT/i.test(sql));
  const byHash = (sql: string) => /"hash" = \$/.test(sql);
  return { lookups: reads.filter(byHash).length, reloads: reads.filter((sql) => !byHash(sql)).length };
}

describe.each(databaseKinds())("credentials nobody issued (%s)", (kind) => {
  let server: TestServer;
  let claimId: string;
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0" } });
    claimId = (await server.gql(`{ claims(first: 1) { nodes { id } } }`)).body.data.claims.nodes[0].id;
  }, 60_000);
  afterAll(() => server?.close());

  test("200 requests with 200 invented keys: answered anonymously with an UNKNOWN warning, no look-up per key, at most one reload of the key list per interval", async () => {
    server.queries.length = 0;
    const started = Date.now();
    const answers: Answer[] = [];
    for (let round = 0; round < 4; round++) answers.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => search(server, i, invented())))));
    const elapsed = Date.now() - started;
    expect(answers.filter((a) => a.status !== 200 || a.codes.length)).toEqual([]);
    expect(answers.every((a) => a.warning === "UNKNOWN")).toBe(true);
    const { lookups, reloads } = keyReads(server);
    // Before the key list, each invented key was one look-up (200 here), and its request could not be shed.
    expect(lookups).toBe(0);
    expect(reloads).toBeGreaterThan(0);
    expect(reloads).toBeLessThanOrEqual(2 + Math.ceil(elapsed / KEY_RELOAD_INTERVAL_MS));
  }, 60_000);

  test("a key issued by another process a moment ago works at once; one revoked there is refused at once", async () => {
    // Written straight to the table, as the `keys` CLI or another replica would: this server's list
    // has not heard of the key.
    const secret = invented();
    await server.db.prisma.apiKey.create({
      data: { name: "issued elsewhere", role: "EDITOR", prefix: secret.slice(0, 10), hash: createHash("sha256").update(secret).digest("hex") },
    });
    const set = await server.gql(SET_STATUS, { input: { claimId, status: "IN_REVIEW" } }, secret);
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.claimSetStatus.claim.status).toBe("IN_REVIEW");
    // Revoked behind the server's back (SQL): the next use is refused, not served from the list.
    await server.db.prisma.apiKey.updateMany({ where: { name: "issued elsewhere" }, data: { revokedAt: new Date() } });
    const refused = await server.gql(SET_STATUS, { input: { claimId, status: "UNVERIFIED" } }, secret);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "REVOKED" });
    // Known revoked now: no look-up for it any more.
    server.queries.length = 0;
    expect((await search(server, 0, secret)).warning).toBe("REVOKED");
    expect(keyReads(server)).toEqual({ lookups: 0, reloads: 0 });
  }, 60_000);
});

// The embedded database has one connection and no pool to saturate.
(process.env.TEST_DATABASE_URL ? describe : describe.skip)("a burst larger than the pool, with credentials (postgres)", () => {
  let server: TestServer;
  let editor: string;
  let viewer: string;
  beforeAll(async () => {
    // Two connections: 100 concurrent reads are far more than they serve. An editor waits up to 100 ms
    // for one; a shed-able borrower is refused when it would wait over 50 ms.
    server = await startServer("postgres", { env: { RESPONSE_CACHE_MB: "0", DB_POOL_MAX: "2", DB_CONNECT_TIMEOUT_MS: "100", NODE_ENV: "production" } });
    editor = await createKey(server, "EDITOR");
    viewer = await createKey(server, "VIEWER");
  }, 60_000);
  afterAll(() => server?.close());

  test("invented keys and VIEWER keys are shed like anonymous requests (503 OVERLOADED before they run); an editor's key is never shed", async () => {
    const flood: (Answer & { viewer: boolean })[] = [];
    const desk: Answer[] = [];
    const seen = () => flood.some((a) => a.viewer && a.shedAtTheDoor) && flood.some((a) => !a.viewer && a.shedAtTheDoor);
    // Until both kinds are seen refused before they ran (only a request that may be shed is): at most
    // 10 rounds, 3 at least, so the desk's requests meet the flood a few times.
    for (let round = 0; round < 10 && (round < 3 || !seen()); round++) {
      await Promise.all([
        // Reads with a VIEWER key (anyone a desk shares one with) and with keys nobody issued.
        ...Array.from({ length: 100 }, async (_, i) => flood.push({ ...(await search(server, i, i % 2 ? viewer : invented())), viewer: i % 2 === 1 })),
        // The desk's requests arrive amid the flood, once it has filled the pool.
        ...Array.from({ length: 5 }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, 20 * (i + 1)));
          desk.push(await search(server, i, editor));
        }),
      ]);
    }
    expect(flood.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    for (const a of flood.filter((a) => a.status === 503)) expect(a.codes).toEqual(["OVERLOADED"]);
    expect(flood.filter((a) => a.status === 200 && !a.viewer).every((a) => a.warning === "UNKNOWN")).toBe(true);
    // Before, any Authorization header made a request wait for a connection: none was refused at the door.
    expect(flood.some((a) => a.viewer && a.shedAtTheDoor)).toBe(true);
    expect(flood.some((a) => !a.viewer && a.shedAtTheDoor)).toBe(true);
    // The editor's requests wait for a connection instead (one may still not get one within
    // DB_CONNECT_TIMEOUT_MS on a loaded machine: that is a 503 too, but never a refusal at the door).
    expect(desk.filter((a) => a.shedAtTheDoor)).toEqual([]);
    expect(desk.some((a) => a.status === 200)).toBe(true);
  }, 60_000);

});

(process.env.TEST_DATABASE_URL ? describe : describe.skip)("a burst larger than the pool, with the ClaimReview feed (postgres)", () => {
  let feedServer: TestServer;
  beforeAll(async () => {
    // Two connections, 100 ms to get one (a borrower that would wait over 50 ms is shed).
    feedServer = await startServer("postgres", { env: { RESPONSE_CACHE_MB: "0", DB_POOL_MAX: "2", DB_CONNECT_TIMEOUT_MS: "100", NODE_ENV: "production", ...PUBLISHER } });
  }, 60_000);
  afterAll(() => feedServer?.close());

  test("ClaimReview feed pages (anyone may ask) are shed like anonymous reads, not queued like an editor's", async () => {
    // Found by the second attack round: the feed's reads waited for a connection whatever the load.
    const feed = async (i: number) => {
      const res = await fetch(`${feedServer.url}/claimreview/feed.json?since=2020-01-${String(1 + (i % 28)).padStart(2, "0")}&limit=${1 + (i % 50)}`);
      const body = (await res.json()) as { errors?: { message: string; extensions: { code: string } }[] };
      return { status: res.status, retryAfter: res.headers.get("retry-after"), error: body.errors?.[0] };
    };
    const answers: Awaited<ReturnType<typeof feed>>[] = [];
    const shedAtTheDoor = () => answers.some((a) => a.status === 503 && /every database connection is busy/.test(a.error!.message));
    // Until one is seen refused before it ran (only a request that may be shed is): at most 10 rounds.
    for (let round = 0; round < 10 && !shedAtTheDoor(); round++) {
      // Anonymous searches fill the pool; the feed's pages arrive amid them.
      await Promise.all([
        ...Array.from({ length: 100 }, (_, i) => search(feedServer, i, invented())),
        ...Array.from({ length: 30 }, async (_, i) => answers.push(await feed(i))),
      ]);
    }
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    for (const a of answers.filter((a) => a.status === 503)) expect([a.error?.extensions.code, a.retryAfter]).toEqual(["OVERLOADED", "1"]);
    expect(shedAtTheDoor()).toBe(true);
  }, 60_000);
});
