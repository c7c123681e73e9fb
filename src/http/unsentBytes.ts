/**
 * Unsent data of the whole process: what every connection's sends accepted and its socket has not
 * yet written, one budget for WebSockets (LIVE_MAX_BUFFER_TOTAL_BYTES) and one for HTTP answers
 * (HTTP_MAX_UNSENT_BYTES, src/http/sending.ts). Each WebSocket is also held to
 * LIVE_MAX_BUFFER_BYTES on its own (src/http/live.ts), but a client that subscribes and stops reading
 * stays under that with one large event pending, until the heartbeat cuts it: with only the per-
 * connection bound, 1,000 such connections could hold 4 GiB.
 */
export class UnsentBytes<C> {
  private total = 0;
  private readonly held = new Map<C, number>();

  constructor(private readonly max: number) {}

  /** Bytes held now, every connection together. */
  get bytes(): number {
    return this.total;
  }

  /** Whether `connection` holds anything here (it has taken bytes, and has not been forgotten since). */
  holds(connection: C): boolean {
    return this.held.has(connection);
  }

  /**
   * Holds `bytes` for `connection`. When that would pass the cap, the connections holding the most
   * (a reader that stopped, most likely) are forgotten and handed to `cut`, largest first, until it
   * fits; false when `connection` itself was cut (its data is not to be sent).
   */
  take(connection: C, bytes: number, cut: (connection: C) => void): boolean {
    while (this.total + bytes > this.max) {
      let largest: C | undefined;
      let most = 0;
      for (const [c, n] of this.held) if (n > most) [largest, most] = [c, n];
      // Nothing held anywhere: the message alone fits the cap (it is within the per-connection bound).
      if (largest === undefined) break;
      this.forget(largest);
      cut(largest);
      if (largest === connection) return false;
    }
    this.held.set(connection, (this.held.get(connection) ?? 0) + bytes);
    this.total += bytes;
    return true;
  }

  /** Gives back bytes the socket has written (or dropped as it closed); nothing for a forgotten connection. */
  give(connection: C, bytes: number) {
    const now = this.held.get(connection);
    if (now === undefined) return;
    const given = Math.min(now, bytes);
    this.total -= given;
    this.held.set(connection, now - given);
  }

  /** Drops a connection that closed: what it held goes with its socket. */
  forget(connection: C) {
    const now = this.held.get(connection);
    if (now === undefined) return;
    this.total -= now;
    this.held.delete(connection);
  }
}
