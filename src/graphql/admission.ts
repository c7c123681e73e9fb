import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Context } from "./context";
import { costOfRequest } from "./cost";

/** Share of the budget only light operations may use, so that heavy ones never crowd them all out. */
const LIGHT_RESERVE = 0.25;
/** An operation is light when it costs at most this share of the reserve (500 of the default 20,000). */
const LIGHT_SHARE_OF_RESERVE = 0.1;

/**
 * A per-process budget of query cost in flight. An operation is admitted while the cost of the ones
 * running plus its own fits in the budget; otherwise it is refused at once with 503 and Retry-After
 * rather than queued, so memory and the event loop stay bounded under overload.
 *
 * Heavy operations (priced over a fiftieth of the budget: big pages, claim proposals) share three
 * quarters of it, and one always runs even when it alone costs more (unless light ones fill more than
 * the reserve). The last quarter is kept for light ones (a desk's screens), which also use whatever
 * the heavy ones leave. Without the reserve,
 * one client sending one operation priced at the whole budget after another held all of it nearly
 * all the time, and every other visitor's cheap read got 503. At most limit × 1.25 is in flight
 * (one operation at the largest allowed cost beside a full reserve).
 */
export class CostBudget {
  private heavy = 0;
  private light = 0;
  private readonly reserve: number;
  private readonly lightMax: number;

  constructor(readonly limit: number) {
    this.reserve = limit * LIGHT_RESERVE;
    this.lightMax = this.reserve * LIGHT_SHARE_OF_RESERVE;
  }

  /** Cost in flight, both kinds. */
  get inFlight(): number {
    return this.heavy + this.light;
  }

  tryAcquire(cost: number): boolean {
    if (cost <= this.lightMax) {
      if (this.inFlight + cost > this.limit && this.light + cost > this.reserve) return false;
      this.light += cost;
      return true;
    }
    const fits = this.heavy + cost <= this.limit - this.reserve && this.inFlight + cost <= this.limit;
    // One heavy operation always runs, beside no more than the reserve's worth of light ones.
    if (!fits && !(this.heavy === 0 && this.light <= this.reserve)) return false;
    this.heavy += cost;
    return true;
  }

  /** Gives back what tryAcquire(cost) took (the same cost: its kind follows from it). */
  release(cost: number) {
    if (cost <= this.lightMax) this.light -= cost;
    else this.heavy -= cost;
  }

  /**
   * Trades what tryAcquire(from) took for `to`, admitted by the same rules as a new operation of that
   * cost; when it is refused, `from` stays held as it was (synchronous, so nobody sees the gap).
   */
  resize(from: number, to: number): boolean {
    this.release(from);
    if (this.tryAcquire(to)) return true;
    if (from <= this.lightMax) this.light += from;
    else this.heavy += from;
    return false;
  }
}

const RETRY_AFTER_SECONDS = 1;

/** The answer to any overload (cost in flight, CPU pool full): 503 with Retry-After and the stable code OVERLOADED. */
export function overloaded(message: string, retryAfterSeconds = RETRY_AFTER_SECONDS): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "OVERLOADED", http: { status: 503, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) } },
  });
}

const atCapacity = () => overloaded(`the server is at capacity (query cost in flight); retry after ${RETRY_AFTER_SECONDS} s`);

/**
 * Admission by query cost; runs after costLimitPlugin, which has refused what is over MAX_COST and
 * measured the rest. The static price is what a query asks for (a plain list is priced as one item);
 * what execution really lists is counted (graphql/listedItems.ts), and an answer that lists more than
 * it was admitted for holds more of the budget as it grows, doubling its share each time so a long
 * list resizes a handful of times. Without that, concurrent requests priced at a few items, each
 * listing thousands (an article's claims, a source's members, bodies as text), were all admitted.
 */
export function admissionPlugin(budget: CostBudget): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let admitted = 0;
      let answered = false;
      return {
        async didResolveOperation({ request, contextValue }) {
          const cost = costOfRequest(request);
          if (!budget.tryAcquire(cost)) throw atCapacity();
          admitted = cost;
          const listed = contextValue.listed;
          if (!listed) return;
          listed.held = cost;
          listed.hold = (items) => {
            // A field that failed and nulled its parent does not stop its siblings: their resolvers
            // may still list after the answer went out, when nothing is held any more to resize.
            if (answered) throw atCapacity();
            const to = Math.min(listed.max, Math.max(items, admitted * 2));
            if (!budget.resize(admitted, to)) throw atCapacity();
            admitted = listed.held = to;
          };
        },
        async willSendResponse() {
          answered = true;
          budget.release(admitted);
          admitted = 0;
        },
      };
    },
  };
}
