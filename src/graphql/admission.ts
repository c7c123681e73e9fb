import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Context } from "./context";
import { costOfRequest } from "./cost";

/**
 * A per-process budget of query cost in flight. An operation is admitted while the cost of the ones
 * running plus its own fits in the budget (one always runs, whatever its cost); otherwise it is
 * refused at once with 503 and Retry-After rather than queued, so memory and the event loop stay
 * bounded under overload while cheap queries keep fitting beside a few heavy ones.
 */
export class CostBudget {
  inFlight = 0;
  constructor(readonly limit: number) {}

  tryAcquire(cost: number): boolean {
    if (this.inFlight > 0 && this.inFlight + cost > this.limit) return false;
    this.inFlight += cost;
    return true;
  }

  release(cost: number) {
    this.inFlight -= cost;
  }
}

const RETRY_AFTER_SECONDS = 1;

/** The answer to any overload (cost in flight, CPU pool full): 503 with Retry-After and the stable code OVERLOADED. */
export function overloaded(message: string, retryAfterSeconds = RETRY_AFTER_SECONDS): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "OVERLOADED", http: { status: 503, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) } },
  });
}

/** Admission by query cost; runs after costLimitPlugin, which has refused what is over MAX_COST and measured the rest. */
export function admissionPlugin(budget: CostBudget): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let admitted = 0;
      return {
        async didResolveOperation({ request }) {
          const cost = costOfRequest(request);
          if (!budget.tryAcquire(cost)) {
            throw overloaded(`the server is at capacity (query cost in flight); retry after ${RETRY_AFTER_SECONDS} s`);
          }
          admitted = cost;
        },
        async willSendResponse() {
          budget.release(admitted);
          admitted = 0;
        },
      };
    },
  };
}
