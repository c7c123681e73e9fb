import pg from "pg";
import { WRITES_CHANNEL, parseWriteNotice } from "../src/db/writes";
import { databaseKinds, startServer, type TestServer } from "./support/harness";

/** Resolves with the first `count` payloads a subscriber receives. */
function collect(server: TestServer, channel: string, count: number) {
  const payloads: string[] = [];
  let done: (p: string[]) => void;
  const received = new Promise<string[]>((resolve) => (done = resolve));
  const unsubscribe = server.db.listen(channel, {
    message: (payload) => {
      payloads.push(payload);
      if (payloads.length === count) done(payloads);
    },
  });
  return { received, unsubscribe };
}

describe.each(databaseKinds())("notifications on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(kind, { seed: false });
  });
  afterAll(() => server.close());

  test("one listen connection delivers JSON payloads to every subscriber of a channel, and only of that channel", async () => {
    const first = collect(server, WRITES_CHANNEL, 1);
    const second = collect(server, WRITES_CHANNEL, 1);
    const other = collect(server, "claimgraph_other", 1);
    await Promise.all([first.unsubscribe, second.unsubscribe, other.unsubscribe]);
    await server.db.announceWrite();
    const [[a], [b]] = await Promise.all([first.received, second.received]);
    expect(a).toBe(b);
    expect(parseWriteNotice(a).lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    await server.db.prisma.$executeRawUnsafe(`NOTIFY claimgraph_other, '{"hello":"subscriptions"}'`);
    expect(JSON.parse((await other.received)[0])).toEqual({ hello: "subscriptions" });
    (await first.unsubscribe)();
    (await second.unsubscribe)();
    (await other.unsubscribe)();
    if (kind === "postgres") {
      const admin = new pg.Client({ connectionString: server.databaseUrl });
      await admin.connect();
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'claimgraph-listen' AND datname = current_database()`);
      await admin.end();
      expect(rows[0].n).toBe(1);
    }
  });

  test("a write made outside the API notifies in its own transaction, without a position; a rolled-back one does not", async () => {
    const heard = collect(server, WRITES_CHANNEL, 2);
    await heard.unsubscribe;
    await server.db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO source (id, slug, name, kind, created_at, updated_at) VALUES (gen_random_uuid(), 'rolled-back', 'Rolled back', 'PERSON', now(), now())`);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await server.db.prisma.$executeRawUnsafe(`UPDATE source SET name = name WHERE false`);
    await server.db.announceWrite();
    const [trigger, announced] = (await heard.received).map(parseWriteNotice);
    expect(trigger).toEqual({ lsn: null });
    expect(announced.lsn).not.toBeNull();
    (await heard.unsubscribe)();
  });
});
