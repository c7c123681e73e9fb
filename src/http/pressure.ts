import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Event-loop pressure, sampled every `windowMs`: while the worst delay of the last window is over
 * `maxDelayMs`, the process is "under pressure" and new GraphQL requests are refused before their
 * body is even parsed. Refusing through Apollo (parse, cost, error body) still costs a fraction of a
 * millisecond each; a client hammering refusals would otherwise keep the loop as busy as the work did.
 */
export class LoopPressure {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;
  underPressure = false;

  constructor(
    readonly maxDelayMs: number,
    windowMs = 250,
  ) {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.underPressure = this.histogram.max / 1e6 > maxDelayMs;
      this.histogram.reset();
    }, windowMs).unref();
  }

  stop() {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
