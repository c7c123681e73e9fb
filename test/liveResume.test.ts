import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../src/db/database";
import { REPLAY_READS } from "../src/live/feed";
import { createLogger } from "../src/logger";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { liveClient, liveClients, startReplica, subscribe, type LiveClient } from "./support/live";

// Issue 24 item 1: every event carries a cursor; `after` replays what was missed, across restarts.

const WATCH = `subscription($f: ClaimWatchFilter, $after: String) { claimChanged(filter: $f, after: $after) { id status } }`;
const SET_STATUS = `mutation($i: ClaimSetStatusInput!) { claimSetStatus(input: $i) { claim { id } userErrors { code } } }`;

async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString().split(":")[1];

async function errorsOf(client: LiveClient["client"], variables: Record<string, unknown>) {
  try {
    return (await subscribe(client, WATCH, variables).next()).errors;
  } catch (errors) {
    return errors as { message: string; extensions: { code: string } }[];
  }
}

describe.each(databaseKinds())("resuming live updates on %s", (kind) => {
  let server: TestServer;
  let editor: string;
  let pentagon: string[];
  let khamenei: string;
  const open = liveClients(() => server.url);
  const setStatus = (claimId: string, status: string) => server.gql(SET_STATUS, { i: { claimId, status } }, editor);

  beforeAll(async () => {
    server = await startServer(kind, { env: { LIVE_REPLAY_MAX: "40" } });
    editor = await createKey(server, "EDITOR", "Resume desk");
    const ids = async (actor: string) =>
      (await server.gql(`query($a: String) { claims(filter: { actor: $a }) { nodes { id } } }`, { a: actor })).body.data.claims.nodes.map((n: any) => n.id);
    pentagon = await ids("Pentagon");
    [khamenei] = await ids("Khamenei");
    expect(pentagon.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => server?.close());

  test("after a cursor, the matching changes missed are replayed in order, then live ones follow without repeats", async () => {
    const { client } = open();
    const first = subscribe(client, WATCH, { f: { actor: "Pentagon" } });
    await waitFor(() => server.live.watchers === 1, "the subscription");
    await setStatus(pentagon[0], "IN_REVIEW");
    const seen = await first.next();
    expect(seen.data.claimChanged.id).toBe(pentagon[0]);
    const cursor = seen.extensions.cursor as string;
    expect(typeof cursor).toBe("string");
    await first.stop();
    await waitFor(() => server.live.watchers === 0, "the unsubscribe");

    // Missed while away: two Pentagon changes and one that the filter leaves out.
    await setStatus(pentagon[1], "IN_REVIEW");
    await setStatus(khamenei, "IN_REVIEW");
    await setStatus(pentagon[2], "IN_REVIEW");
    await setStatus(pentagon[1], "UNVERIFIED");

    const resumed = subscribe(client, WATCH, { f: { actor: "Pentagon" }, after: cursor });
    const replayed = [await resumed.next(), await resumed.next(), await resumed.next()];
    expect(replayed.map((r) => r.data.claimChanged.id)).toEqual([pentagon[1], pentagon[2], pentagon[1]]);
    // Each claim in its state now; cursors strictly in order.
    expect(replayed.map((r) => r.data.claimChanged.status)).toEqual(["UNVERIFIED", "IN_REVIEW", "UNVERIFIED"]);
    expect(new Set(replayed.map((r) => r.extensions.cursor)).size).toBe(3);
    // Then live: the next change arrives once.
    await setStatus(pentagon[0], "UNVERIFIED");
    const live = await resumed.next();
    expect(live.data.claimChanged).toEqual({ id: pentagon[0], status: "UNVERIFIED" });
    // Resuming from the last replayed cursor gives exactly the live one.
    const again = subscribe(client, WATCH, { f: { actor: "Pentagon" }, after: replayed[2].extensions.cursor });
    expect((await again.next()).data.claimChanged.id).toBe(pentagon[0]);
    await resumed.stop();
    await again.stop();
  });

  test("liveCursor is the log's position now, never cached; subscribing after it delivers a change made before the first event", async () => {
    const read = async () => {
      const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ liveCursor }` }) });
      return { cursor: ((await res.json()) as any).data.liveCursor as string, cacheControl: res.headers.get("cache-control") };
    };
    const before = await read();
    expect(before.cacheControl).toBe("no-store");
    await setStatus(khamenei, "UNVERIFIED");
    const { client } = open();
    const watch = subscribe(client, WATCH, { after: before.cursor });
    expect((await watch.next()).data.claimChanged.id).toBe(khamenei);
    expect((await read()).cursor).not.toBe(before.cursor);
    await watch.stop();
  });

  test("a cursor ahead of the log's head (a restored or re-seeded database) is CURSOR_EXPIRED at subscribe time", async () => {
    const res = await server.gql(`{ liveCursor }`);
    const [, seq] = Buffer.from(res.body.data.liveCursor as string, "base64url").toString().split(":");
    const ahead = Buffer.from(`c1:${BigInt(seq) + 5000n}:0`).toString("base64url");
    const { client } = open();
    const errors = await errorsOf(client, { after: ahead });
    expect(errors.map((e: any) => e.extensions.code)).toEqual(["CURSOR_EXPIRED"]);
    expect(errors[0].message).toMatch(/ahead/);
    // The head itself is still a cursor to resume from.
    const atHead = subscribe(client, WATCH, { after: res.body.data.liveCursor });
    await waitFor(() => server.live.watchers === 1, "the subscription at the head");
    await atHead.stop();
    await waitFor(() => server.live.watchers === 0, "the unsubscribe");
  });

  test("many replays at once all complete in order, with at most REPLAY_READS replay reads running at any time", async () => {
    const start = (await server.gql(`{ liveCursor }`)).body.data.liveCursor as string;
    await setStatus(pentagon[1], "IN_REVIEW");
    await setStatus(khamenei, "IN_REVIEW");
    await setStatus(pentagon[2], "UNVERIFIED");
    // 3 connections × 15 replays from the same cursor, all at once.
    const replays = [];
    for (let c = 0; c < 3; c++) {
      const { client } = open();
      for (let s = 0; s < 15; s++) replays.push(subscribe(client, WATCH, { f: { actor: "Pentagon" }, after: start }));
    }
    const seen = await Promise.all(replays.map(async (r) => [await r.next(), await r.next()].map((e) => e.data.claimChanged)));
    for (const events of seen) expect(events).toEqual([{ id: pentagon[1], status: "IN_REVIEW" }, { id: pentagon[2], status: "UNVERIFIED" }]);
    expect(server.live.replayReads.peak).toBeGreaterThanOrEqual(1);
    expect(server.live.replayReads.peak).toBeLessThanOrEqual(REPLAY_READS);
    await Promise.all(replays.map((r) => r.stop()));
    await waitFor(() => server.live.watchers === 0, "the unsubscribes");
  });

  test("replays ended while waiting for their turn leave the queue", async () => {
    const start = (await server.gql(`{ liveCursor }`)).body.data.liveCursor as string;
    await setStatus(pentagon[2], "IN_REVIEW");
    // On PostgreSQL the replay reads are held (a lock on a table only they read) so the queue is
    // certain to be full when the client leaves; PGlite's one connection cannot be held that way.
    const holder = kind === "postgres" ? new pg.Client({ connectionString: server.databaseUrl }) : null;
    if (holder) {
      await holder.connect();
      await holder.query(`BEGIN; LOCK TABLE source_alias IN ACCESS EXCLUSIVE MODE`);
    }
    try {
      const c = open();
      // No actor in the filter: resolving one reads source_alias too.
      for (let s = 0; s < 20; s++) subscribe(c.client, WATCH, { f: {}, after: start });
      if (holder) await waitFor(() => server.live.replayReads.running === REPLAY_READS && server.live.replayReads.waiting === 20 - REPLAY_READS, "a full replay queue");
      else await waitFor(() => server.live.watchers > 0, "some replays");
      await c.client.dispose();
      // The server hears the close a moment later, and the subscriptions end in turn: waited for on
      // the queue itself (watchers can reach 0 a moment before the last waiter leaves). Before the
      // waiters listened to the close, they stayed queued behind the held reads until the lock went.
      await waitFor(() => server.live.replayReads.waiting === 0, "the waiting replays to leave");
      await waitFor(() => server.live.watchers === 0, "the replays to end");
    } finally {
      await holder?.query("ROLLBACK");
      await holder?.end();
    }
    await waitFor(() => server.live.replayReads.running === 0 && server.live.replayReads.waiting === 0, "the replay queue to empty");
    expect(server.live.replayReads.peak).toBeLessThanOrEqual(REPLAY_READS);
  });

  test("a malformed cursor is BAD_USER_INPUT; more changes than LIVE_REPLAY_MAX is REPLAY_TOO_LARGE; a pruned one is CURSOR_EXPIRED", async () => {
    const { client } = open();
    for (const after of ["nope", Buffer.from("c1:-1:0").toString("base64url"), Buffer.from("c1:99999999999999999999:0").toString("base64url")]) {
      const errors = await errorsOf(client, { after });
      expect(errors.map((e: any) => [e.extensions.code, e.extensions.argument])).toEqual([["BAD_USER_INPUT", "after"]]);
    }
    const watch = subscribe(client, WATCH, {});
    await waitFor(() => server.live.watchers === 1, "the subscription");
    await setStatus(pentagon[0], "IN_REVIEW");
    const cursor = (await watch.next()).extensions.cursor;
    await watch.stop();
    // Every claim changed twice: 2 × 31 changes after the cursor, over the limit of 40.
    await server.db.withSession((s) => s.exec(`UPDATE claim SET note = note`));
    await server.db.withSession((s) => s.exec(`UPDATE claim SET note = note`));
    const tooLarge = await errorsOf(client, { after: cursor });
    expect(tooLarge.map((e: any) => e.extensions.code)).toEqual(["REPLAY_TOO_LARGE"]);
    // Pruning everything (as retention would, a day later) expires the cursor.
    await server.db.withSession((s) => s.query(`SELECT claimgraph_prune_claim_changes((now() AT TIME ZONE 'UTC' + interval '1 hour')::timestamp, 100000)`));
    const expired = await errorsOf(client, { after: cursor });
    expect(expired.map((e: any) => e.extensions.code)).toEqual(["CURSOR_EXPIRED"]);
  });
});

describe("resuming across a restart (embedded database in a directory)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cg-live-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a change made while the server was down is replayed to a subscriber of the restarted server", async () => {
    const env = { PGLITE_DATA_DIR: dir };
    let server = await startServer("pglite", { env });
    const editor = await createKey(server, "EDITOR", "Restart desk");
    const [claimId] = (await server.gql(`{ claims(first: 1, filter: { actor: "Pentagon" }) { nodes { id } } }`)).body.data.claims.nodes.map((n: any) => n.id);
    let c = liveClient(server.url);
    const watch = subscribe(c.client, WATCH, { f: { actor: "Pentagon" } });
    await waitFor(() => server.live.watchers === 1, "the subscription");
    await server.gql(SET_STATUS, { i: { claimId, status: "IN_REVIEW" } }, editor);
    const cursor = (await watch.next()).extensions.cursor;
    await server.close();
    expect(await c.closed).toBe(1012);

    // While no server runs, a change by hand.
    const log = createLogger("silent");
    const db = await openDatabase({ ...server.config, PGLITE_DATA_DIR: dir }, log);
    await db.withSession((s) => s.exec(`UPDATE claim SET status = 'FALSE' WHERE id = '${uuidOf(claimId)}'`));
    await db.close();

    server = await startServer("pglite", { env, seed: false });
    try {
      c = liveClient(server.url);
      const resumed = subscribe(c.client, WATCH, { f: { actor: "Pentagon" }, after: cursor });
      const event = await resumed.next();
      expect(event.data.claimChanged).toEqual({ id: claimId, status: "FALSE" });
      await resumed.stop();
      await c.client.dispose();
    } finally {
      await server.close();
    }
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg("resuming on PostgreSQL, another server and out-of-order commits", () => {
  let a: TestServer;
  beforeAll(async () => {
    a = await startServer("postgres");
  });
  afterAll(() => a?.close());

  test("transactions that commit in another order than they wrote are delivered in commit order, none skipped on resume", async () => {
    const claims = (await a.gql(`{ claims(first: 2, filter: { actor: "Pentagon" }) { nodes { id } } }`)).body.data.claims.nodes.map((n: any) => n.id);
    const c = liveClient(a.url);
    const watch = subscribe(c.client, WATCH, { f: { actor: "Pentagon" } });
    await waitFor(() => a.live.watchers === 1, "the subscription");
    const first = new pg.Client({ connectionString: a.databaseUrl });
    const second = new pg.Client({ connectionString: a.databaseUrl });
    await Promise.all([first.connect(), second.connect()]);
    try {
      // The first writes first but commits last.
      await first.query("BEGIN");
      await first.query(`UPDATE claim SET status = 'FALSE' WHERE id = $1`, [uuidOf(claims[0])]);
      await second.query(`UPDATE claim SET status = 'TRUE' WHERE id = $1`, [uuidOf(claims[1])]);
      const early = await watch.next();
      expect(early.data.claimChanged.id).toBe(claims[1]);
      await first.query("COMMIT");
      const late = await watch.next();
      expect(late.data.claimChanged.id).toBe(claims[0]);
      await watch.stop();

      // Another server on the same database, resuming after the first event: the late commit is not skipped.
      const replica = await startReplica(a);
      const b = liveClient(replica.url);
      try {
        const resumed = subscribe(b.client, WATCH, { f: { actor: "Pentagon" }, after: early.extensions.cursor });
        expect((await resumed.next()).data.claimChanged).toEqual({ id: claims[0], status: "FALSE" });
        await resumed.stop();
      } finally {
        await b.client.dispose();
        await replica.close();
      }
    } finally {
      await Promise.all([first.end(), second.end()]);
      await c.client.dispose();
    }
  });
});
