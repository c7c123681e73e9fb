import { createClient, type Client } from "graphql-ws";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { openDatabase } from "../../src/db/database";
import { createApp } from "../../src/http/app";
import { attachLive, type Live } from "../../src/http/live";
import { createLogger } from "../../src/logger";
import type { TestServer } from "./harness";

export interface LiveClient {
  client: Client;
  /** Resolves with the close event's code once the socket closes. */
  closed: Promise<number>;
  /** Resolves with the acknowledgement's payload once the server accepted the connection (rejects if it closes first). */
  connected: Promise<Record<string, unknown> | undefined>;
}

/** A graphql-ws client (the protocol Apollo Client speaks) on the test server's /graphql. */
export function liveClient(httpUrl: string, connectionParams?: Record<string, unknown>): LiveClient {
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  let onConnected!: (payload: Record<string, unknown> | undefined) => void;
  const connected = new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
    onConnected = resolve;
    void closed.then((code) => reject(new Error(`closed with ${code}`)));
  });
  connected.catch(() => undefined);
  const client = createClient({
    url: `${httpUrl.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: (_socket, payload) => onConnected(payload as Record<string, unknown> | undefined),
      closed: (event) => onClosed((event as { code: number }).code),
    },
  });
  return { client, closed, connected };
}

/** Subscribes and returns a reader of the next results, one at a time. */
export function subscribe(client: Client, query: string, variables?: Record<string, unknown>) {
  const iterator = client.iterate<any>({ query, variables });
  return {
    next: async (): Promise<any> => {
      const result = await iterator.next();
      return result.done ? null : result.value;
    },
    stop: () => iterator.return?.(),
  };
}

/**
 * A second server (another replica) on a test server's own PostgreSQL database, with its WebSocket
 * server: what a change made through one replica, or resumed on another, is checked against.
 */
export async function startReplica(a: TestServer): Promise<{ url: string; live: Live; close: () => Promise<void> }> {
  const log = createLogger("silent");
  const config = { ...a.config, DATABASE_URL: a.databaseUrl! };
  const db = await openDatabase(config, log);
  const { server, apollo } = await createApp(config, db, log);
  const live = await attachLive(server, db, config, log);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    live,
    close: async () => {
      await live.close(0);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
      await db.close();
    },
  };
}

/**
 * Clients a test file opens on its server, all disposed after each test (`afterEach`): `open` one
 * with optional connection parameters.
 */
export function liveClients(url: () => string) {
  const clients: LiveClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.client.dispose()));
  });
  return (params?: Record<string, unknown>) => {
    const c = liveClient(url(), params);
    clients.push(c);
    return c;
  };
}
