import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

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
