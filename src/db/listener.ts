import pg from "pg";
import type { Logger } from "../logger";

/** A subscriber to one NOTIFY channel. */
export interface ListenHandler {
  /** Every notification on the channel, with its payload (JSON by convention; "" when none was sent). */
  message(payload: string): void;
  /** The listen connection dropped: notifications sent from now on are lost until `resumed`. */
  lost?(): void;
  /** Listening again; anything may have changed meanwhile. */
  resumed?(): void;
}

const RETRY_MS = [0, 100, 250, 500, 1_000];

/**
 * The process's one LISTEN connection, outside any pool and never through a transaction pooler
 * (a pooled LISTEN hears nothing). Any number of subscribers share it, on any number of channels.
 * A dropped connection is reported at once (`lost`) and retried immediately, then with backoff.
 */
export class Listener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly channels = new Map<string, Set<ListenHandler>>();
  private attempt = 0;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  /** Subscribes; resolves once the channel is listened to. Returns the unsubscribe function. */
  async listen(channel: string, handler: ListenHandler): Promise<() => void> {
    let handlers = this.channels.get(channel);
    const first = !handlers;
    if (!handlers) this.channels.set(channel, (handlers = new Set()));
    handlers.add(handler);
    if (!this.client) await this.ensureConnected();
    else if (first) await this.client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    return () => void handlers.delete(handler);
  }

  /** The backend pid of the listen connection (tests terminate it to exercise reconnects). */
  get backendPid(): number | undefined {
    return (this.client as (pg.Client & { processID?: number }) | null)?.processID;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private each(fn: (handler: ListenHandler) => void, channel?: string) {
    for (const [name, handlers] of this.channels) {
      if (channel !== undefined && name !== channel) continue;
      for (const handler of handlers) {
        try {
          fn(handler);
        } catch (err) {
          this.log.error({ err, channel: name }, "a notification subscriber failed");
        }
      }
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: "claimgraph-listen", keepAlive: true });
    client.on("notification", (n) => this.each((h) => h.message(n.payload ?? ""), n.channel));
    client.on("error", (err) => this.log.warn({ err: { message: err.message } }, "notification connection lost"));
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      this.connecting = null;
      await client.end().catch(() => undefined);
      throw err;
    }
    this.connecting = null;
    if (this.closed) return void (await client.end());
    client.on("end", () => this.dropped(client));
    this.client = client;
    this.attempt = 0;
  }

  /** Connects unless connected or connecting (a subscriber may have reconnected meanwhile). */
  private ensureConnected(): Promise<void> {
    return this.client ? Promise.resolve() : (this.connecting ??= this.connect());
  }

  private dropped(client: pg.Client) {
    if (this.client !== client) return; // closed on purpose, or a failed attempt
    this.client = null;
    this.each((h) => h.lost?.());
    this.retry();
  }

  private retry() {
    if (this.closed) return;
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    setTimeout(() => {
      this.ensureConnected().then(
        () => this.each((h) => h.resumed?.()),
        () => this.retry(),
      );
    }, delay).unref();
  }
}
