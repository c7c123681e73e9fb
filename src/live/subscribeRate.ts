/**
 * How fast one WebSocket connection may start subscriptions: a token bucket holding a connection's
 * whole set of subscriptions (a client that reconnects subscribes to all of them at once), refilled
 * at a steady rate (a desk that changes a filter replaces one). Each start parses, validates and reads
 * the database to check its filter, and WebSocket work is not shed like HTTP requests are: without a
 * bound, 5 anonymous sockets replacing their 20 subscriptions every 50 ms held every database
 * connection and blocked /health for seconds.
 */
export class SubscribeRate {
  private tokens: number;
  private at = performance.now();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  /** Takes one start; false when the connection has used up its rate (nothing is taken then). */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next start is allowed. */
  get waitMs(): number {
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}
