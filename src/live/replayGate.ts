/**
 * Bounds the replay work of a process: at most `max` replay reads of the change log run at once,
 * the rest wait their turn in order. Replays are anonymous and each may read up to LIVE_REPLAY_MAX
 * changes, so without this many at once would take every database connection from ordinary reads.
 */
export class ReplayGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Most reads that ran at once so far (for tests and logs). */
  peak = 0;

  constructor(readonly max: number) {}

  /** Reads running now and reads waiting for a turn. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Runs `read` once a turn is free; undefined, without running it, if `signal` aborts first (the
   * subscription ended while waiting: it leaves the queue).
   */
  async run<T>(read: () => Promise<T>, signal?: AbortSignal): Promise<T | undefined> {
    if (signal?.aborted) return undefined;
    if (this.running < this.max) this.running++;
    else if (!(await this.turn(signal))) return undefined;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await read();
    } finally {
      // The turn passes straight to the next waiter, so a newcomer cannot slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Waits for a turn handed over by a finishing read; false if aborted first. */
  private turn(signal?: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const go = () => {
        signal?.removeEventListener("abort", leave);
        resolve(true);
      };
      const leave = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      };
      this.waiting.push(go);
      signal?.addEventListener("abort", leave, { once: true });
    });
  }
}
