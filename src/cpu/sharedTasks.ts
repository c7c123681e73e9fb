/**
 * One run of a task per key for every caller waiting on it at the same time (30 aliases asking for
 * the proposals of one body share one extraction). Each caller may leave on its own signal; the run
 * itself is aborted only when the last caller has left, so an impatient client cannot cancel the
 * work of another, and work nobody waits for does not go on.
 */
export class SharedTasks<T> {
  private readonly running = new Map<string, { result: Promise<T>; waiting: number; controller: AbortController }>();

  run(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let entry = this.running.get(key);
    if (!entry) {
      const controller = new AbortController();
      const result = start(controller.signal);
      const created = { result, waiting: 0, controller };
      this.running.set(key, created);
      const forget = () => this.running.get(key) === created && this.running.delete(key);
      result.then(forget, forget);
      entry = created;
    }
    const joined = entry;
    joined.waiting++;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        reject(signal!.reason);
        if (--joined.waiting === 0) {
          if (this.running.get(key) === joined) this.running.delete(key);
          joined.controller.abort(signal!.reason);
        }
      };
      signal?.addEventListener("abort", leave, { once: true });
      joined.result.then(
        (value) => {
          signal?.removeEventListener("abort", leave);
          resolve(value);
        },
        (err: unknown) => {
          signal?.removeEventListener("abort", leave);
          reject(err);
        },
      );
    });
  }

  has(key: string): boolean {
    return this.running.has(key);
  }
}
