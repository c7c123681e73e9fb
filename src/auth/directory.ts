import type { ApiKeyRole, PrismaClient } from "../generated/prisma/client";

/** At most one reload of the key list per this many milliseconds, however many unknown keys arrive. */
export const KEY_RELOAD_INTERVAL_MS = 500;
/** How old the list may be when a long-lived connection asks whether its key still stands. */
export const KEY_STALE_MS = 5_000;

/** What the list knows of a key: its role (fixed when it is issued) and whether it was revoked. */
export interface KeyStanding {
  role: ApiKeyRole;
  revoked: boolean;
}

/**
 * Which key hashes exist, held in memory per process, so that a credential nobody issued costs no
 * database call. Without it every request with a well-formed but invented key ran a look-up, and as a
 * request with a credential it was never shed under load: any anonymous client could flood the pool
 * past the load shedding by adding an `Authorization` header.
 *
 * - A hash the list does not hold waits for a reload that starts after it arrived (a key created a
 *   moment ago on another replica, or by the CLI, is found); reloads are shared and at most one per
 *   KEY_RELOAD_INTERVAL_MS, so invented keys cost at most two statements a second in all.
 * - A revoked key stays revoked (revocation is final), so the list answers for it alone.
 * - An active key is still read from the database by its caller: a revocation on another replica is
 *   seen at once, and the record is fresh.
 * The list holds one entry per key ever issued (a hash, a role, a flag: ~200 bytes): an admin's doing,
 * not a client's.
 */
export class KeyDirectory {
  private standing = new Map<string, KeyStanding>();
  private lastStart = -Infinity;
  private applied = 0;
  private started = 0;
  /** The reload that waiters arriving now will share: one that has not started yet. */
  private next: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<({ hash: string } & KeyStanding)[]>,
    private readonly intervalMs = KEY_RELOAD_INTERVAL_MS,
  ) {}

  /** What the list says now, without waiting: undefined for a hash it does not hold. */
  standingOf(hash: string): KeyStanding | undefined {
    return this.standing.get(hash);
  }

  /**
   * What the list says now, reloading it in the background when it is older than KEY_STALE_MS: for
   * connections that outlive a request (WebSocket), so that a key revoked elsewhere stops working
   * within seconds.
   */
  recentStandingOf(hash: string): KeyStanding | undefined {
    if (Date.now() - this.lastStart > KEY_STALE_MS) this.reload().catch(() => undefined);
    return this.standing.get(hash);
  }

  /** Records a key this process created or revoked, so that it is known before the next reload. */
  note(hash: string, standing: KeyStanding) {
    this.standing.set(hash, standing);
  }

  /** Resolves once a reload that started after this call has been applied (rejects if it failed). */
  reload(): Promise<void> {
    if (this.next) return this.next;
    const next = (async () => {
      const wait = this.lastStart + this.intervalMs - Date.now();
      // Always yield first, so that `this.next` below is set before it is cleared.
      await (wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : undefined);
      // From here on, arrivals need a later reload: this one may already miss their key.
      this.next = null;
      this.lastStart = Date.now();
      const sequence = ++this.started;
      const rows = await this.load();
      // Two reloads can overlap when one is slow: only the later one's list counts.
      if (sequence < this.applied) return;
      this.applied = sequence;
      this.standing = new Map(rows.map(({ hash, role, revoked }) => [hash, { role, revoked }]));
    })();
    this.next = next;
    return next;
  }
}

const directories = new WeakMap<PrismaClient, KeyDirectory>();

/** The process's directory for a database (services are built per request; the list is not). */
export function keyDirectory(prisma: PrismaClient): KeyDirectory {
  let directory = directories.get(prisma);
  if (!directory) {
    directory = new KeyDirectory(async () =>
      (await prisma.apiKey.findMany({ select: { hash: true, role: true, revokedAt: true } })).map((key) => ({ hash: key.hash, role: key.role, revoked: key.revokedAt !== null })),
    );
    directories.set(prisma, directory);
  }
  return directory;
}
