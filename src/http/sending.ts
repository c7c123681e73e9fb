import { ServerResponse, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logger";
import { UnsentBytes } from "./unsentBytes";

/**
 * What HTTP answers may hold in memory while their clients do not take them. An answer is written
 * whole (`res.end(body)`) and stays in the process until the socket has handed its last byte to the
 * kernel; a client that asks and stops reading kept it there for as long as it kept the socket open
 * (attack round 6: 40 connections, each one anonymous 18 MB answer, held 700 MiB). So:
 * - every answer's bytes are held in one budget (`HTTP_MAX_UNSENT_BYTES`, as WebSockets have
 *   LIVE_MAX_BUFFER_TOTAL_BYTES) from the write until the answer is sent; a write that would pass it
 *   first cuts the connections holding the most (no answer can reach a client that is not reading);
 * - a connection that takes nothing of its answer for `SEND_TIMEOUT_MS` is cut (Node's socket timeout,
 *   which restarts whenever bytes leave or arrive, so a slow reader is not cut: 20 MB read at
 *   2.7 MB/s under a 1 s timeout went through);
 * - pipelined requests wait their turn (`Pipeline`): an answer is worked out only once the previous
 *   one on its connection is sent, and a connection queueing more than PIPELINE_MAX is cut.
 */
export class SendLimits {
  private readonly unsent: UnsentBytes<ServerResponse>;

  constructor(
    maxUnsentBytes: number,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {
    this.unsent = new UnsentBytes(maxUnsentBytes);
  }

  /**
   * The server's ServerResponse class (`http.createServer({ ServerResponse })`): every body written,
   * however the route writes it (JSON, a cached answer, the feed, explorer assets), is held here.
   */
  responseClass(): typeof ServerResponse<IncomingMessage> {
    const limits = this;
    return class BoundedResponse extends ServerResponse {
      override write(...args: unknown[]): boolean {
        if (!limits.hold(this, args[0])) return false;
        return Reflect.apply(super.write, this, args) as boolean;
      }

      override end(...args: unknown[]): this {
        if (typeof args[0] !== "function" && args[0] != null && !limits.hold(this, args[0])) return this;
        return Reflect.apply(super.end, this, args) as this;
      }
    };
  }

  /** Holds a body chunk of `res`; false when its connection is (or has just been) cut, and the chunk is dropped. */
  private hold(res: ServerResponse, chunk: unknown): boolean {
    const socket = res.req.socket;
    if (socket.destroyed) return false;
    const bytes = typeof chunk === "string" ? Buffer.byteLength(chunk) : ArrayBuffer.isView(chunk) ? chunk.byteLength : 0;
    if (!this.unsent.holds(res)) this.watch(res, socket);
    return this.unsent.take(res, bytes, this.cutForRoom);
  }

  /** From its first body byte until it is sent (or its connection closes), an answer is timed and counted. */
  private watch(res: ServerResponse, socket: Socket) {
    // 'close' follows 'finish' (everything handed to the kernel) or the socket's close, once the
    // response has the socket; a pipelined one that never got it is released with the socket.
    const release = () => {
      socket.off("close", release);
      this.unsent.forget(res);
    };
    res.once("close", release);
    socket.once("close", release);
    res.setTimeout(this.timeoutMs, () => {
      this.log.warn({ requestId: res.getHeader("x-request-id"), url: res.req.url, timeoutMs: this.timeoutMs }, "cutting an HTTP connection whose client takes nothing of its answer (SEND_TIMEOUT_MS)");
      socket.destroy();
    });
  }

  /** Cut at once: nothing more can be sent to a client that does not read. */
  private readonly cutForRoom = (res: ServerResponse) => {
    this.log.warn({ requestId: res.getHeader("x-request-id"), url: res.req.url, unsentBytes: this.unsent.bytes }, "cutting the HTTP connection holding the most unsent data: answers not yet sent are at HTTP_MAX_UNSENT_BYTES");
    res.req.socket.destroy();
  };
}

/**
 * Requests a connection may have waiting behind an answer not yet sent: benchmark tools pipeline 10
 * or so, browsers not at all. Past it the connection is cut: waiting requests cost little each, but
 * one read of 64 KB can hold a thousand small ones.
 */
export const PIPELINE_MAX = 32;

interface Line {
  /** The connection's latest response: the next request waits until it is sent. */
  last: ServerResponse;
  waiting: number;
  /** Settles when the socket closes (created when a request first waits). */
  closed?: Promise<void>;
}

/**
 * One answer at a time per connection. Node parses pipelined requests as they arrive and emits them
 * all, queueing each answer in memory behind the previous one; here a request is worked on only once
 * the answer before it on its connection is sent, so a client that does not read gets at most one
 * answer worked out (and held, within the budget above).
 */
export class Pipeline {
  private readonly lines = new WeakMap<Socket, Line>();

  constructor(private readonly log: Logger) {}

  /**
   * True when `res` may be worked on now; otherwise a promise of it, false when the connection was
   * closed (or cut for queueing too many) meanwhile: nobody is left to answer.
   */
  turn(req: IncomingMessage, res: ServerResponse): true | Promise<boolean> {
    const socket = req.socket;
    const line = this.lines.get(socket);
    if (!line) {
      this.lines.set(socket, { last: res, waiting: 0 });
      return true;
    }
    const before = line.last;
    line.last = res;
    if (before.writableFinished) return true;
    // Cut already (requests parsed from the same read still arrive).
    if (socket.destroyed) return Promise.resolve(false);
    if (line.waiting >= PIPELINE_MAX) {
      this.log.warn({ url: req.url, waiting: line.waiting }, `cutting an HTTP connection that pipelined more than ${PIPELINE_MAX} requests behind an answer it has not read`);
      socket.destroy();
      return Promise.resolve(false);
    }
    line.waiting++;
    line.closed ??= new Promise((resolve) => socket.once("close", () => resolve()));
    const sent = new Promise<void>((resolve) => before.once("finish", resolve).once("close", resolve));
    return Promise.race([sent, line.closed]).then(() => {
      line.waiting--;
      if (socket.destroyed) return false;
      // The previous answer's send timeout is still the socket's: this request has not started writing.
      socket.setTimeout(0);
      return true;
    });
  }
}
