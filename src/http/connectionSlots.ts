import { readFileSync } from "node:fs";
import type http from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logger";
import { clientNetwork } from "./clientNetwork";

/**
 * Open connections per client network (`clientNetwork`: an IPv4 address, an IPv6 /64), each counted
 * until its socket closes. The address is the TCP peer's, never a forwarded header a client could
 * write: behind a proxy every client shares the proxy's address. A `max` of 0 turns the limit off.
 */
export class AddressSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts `socket` under its peer's network until it closes; false (nothing counted) when that network already holds `max`. */
  take(socket: Pick<Socket, "remoteAddress" | "once">): boolean {
    if (this.max <= 0) return true;
    const address = clientNetwork(socket.remoteAddress ?? "");
    const open = this.open.get(address) ?? 0;
    if (open >= this.max) return false;
    this.open.set(address, open + 1);
    socket.once("close", () => {
      const left = (this.open.get(address) ?? 1) - 1;
      if (left > 0) this.open.set(address, left);
      else this.open.delete(address);
    });
    return true;
  }
}

/** A flood of refused connections would flood the log too: one line a second at most, with the count since the last. */
const REFUSAL_LOG_INTERVAL_MS = 1_000;

/**
 * HTTP connection slots (the file descriptors a process has are few: with `ulimit -n 1024`, one
 * client holding 1,000 connections open by sending its headers slowly cut everyone else off): at most
 * `total` TCP connections (Node's own `maxConnections`), at most `perAddress` of them from one client
 * network. Past either the connection is closed at once, before anything is read from it.
 */
export function limitConnections(server: http.Server, limits: { total: number; perAddress: number }, log: Logger) {
  let refused = 0;
  let loggedAt = -Infinity;
  const note = (why: string, remoteAddress: string | undefined) => {
    refused++;
    if (performance.now() - loggedAt < REFUSAL_LOG_INTERVAL_MS) return;
    loggedAt = performance.now();
    log.warn({ why, remoteAddress, refused }, "refusing HTTP connections: no slot left (the count is since the previous such line)");
    refused = 0;
  };
  const total = connectionCap(limits.total, openFileLimit());
  if (total !== limits.total) log.warn({ configured: limits.total, used: total }, "HTTP_MAX_CONNECTIONS lowered below the process's open-file limit (ulimit -n), less room for the database pool and files");
  // 0 is "no limit" in Node's own check too, but only a positive limit is set, whatever Node's version makes of 0.
  if (total > 0) server.maxConnections = total;
  server.on("drop", (data?: { remoteAddress?: string }) => note("HTTP_MAX_CONNECTIONS", data?.remoteAddress));
  const slots = new AddressSlots(limits.perAddress);
  server.on("connection", (socket: Socket) => {
    if (slots.take(socket)) return;
    note("HTTP_MAX_CONNECTIONS_PER_ADDRESS", socket.remoteAddress);
    socket.destroy();
  });
}

/** Descriptors kept for what is not a client connection: the database pool, logs, files the server opens. */
export const DESCRIPTORS_KEPT = 128;

/**
 * The total connection cap a process can keep: at most its open-file limit less DESCRIPTORS_KEPT. With the
 * default 4,096 and `ulimit -n 1024`, connections from many addresses took every descriptor and the database
 * pool could open none (EMFILE; attack round 6's verification). `openFiles` null (not Linux): as configured.
 */
export function connectionCap(configured: number, openFiles: number | null): number {
  if (openFiles === null) return configured;
  const room = Math.max(1, openFiles - DESCRIPTORS_KEPT);
  return configured > room ? room : configured; // (0, "no limit", is the operator's to choose)
}

/** The soft limit on open files, from /proc (Linux); null where it cannot be read or is unlimited. */
function openFileLimit(): number | null {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    return line ? Number(line[1]) : null;
  } catch {
    return null;
  }
}
