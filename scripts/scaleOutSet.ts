import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../src/paths";

const run = promisify(execFile);
const SCRIPT = path.join(PROJECT_ROOT, "scripts", "pg-scaleout.sh");
const TOOLS = ["pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "pg_basebackup", "pgbouncer", "runuser"];

function onPath(tool: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => {
    try {
      accessSync(path.join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why a scale-out set cannot be made here, or null when it can. */
export function scaleOutUnavailable({ needsTestDatabase = true } = {}): string | null {
  if (needsTestDatabase && !process.env.TEST_DATABASE_URL) return "TEST_DATABASE_URL is unset";
  const missing = TOOLS.filter((tool) => !onPath(tool));
  if (missing.length) return `missing ${missing.join(", ")} (Debian: apt-get install -y postgresql-common pgbouncer)`;
  if (process.getuid?.() !== 0) return "pg_createcluster clusters run as the postgres user: needs root";
  return null;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ScaleOutSet {
  /** Role `claimgraph` on the primary, directly. */
  primary: string;
  /** Role `claimgraph` on the standby, directly. */
  standby: string;
  /** Through PgBouncer (transaction mode) to the primary / to the standby. */
  pooledPrimary: string;
  pooledStandby: string;
  /** Superuser connections (replay control, pg_terminate_backend). */
  adminPrimary: string;
  adminStandby: string;
  /** Starts, stops (fast) or restarts the set's primary or standby (failover tests). */
  ctl(role: "primary" | "standby", action: "start" | "stop" | "restart"): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A primary, its hot standby and PgBouncer on free ports, under a name unique to this process
 * (scripts/pg-scaleout.sh); sets left by killed runs are swept first.
 */
export async function createScaleOutSet(): Promise<ScaleOutSet> {
  await run(SCRIPT, ["sweep"]);
  const name = `cgso${process.pid}_${randomBytes(3).toString("hex")}`;
  const [p, s, b] = [await freePort(), await freePort(), await freePort()];
  const remove = async () => void (await run(SCRIPT, ["down", name]));
  try {
    await run(SCRIPT, ["up", name, String(p), String(s), String(b)]);
  } catch (err) {
    await remove().catch(() => undefined);
    throw new Error(`pg-scaleout.sh up failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
  }
  const url = (user: string, port: number, db = "claimgraph") => `postgresql://${user}@127.0.0.1:${port}/${db}`;
  return {
    primary: url("claimgraph", p),
    standby: url("claimgraph", s),
    pooledPrimary: url("claimgraph", b),
    pooledStandby: url("claimgraph", b, "claimgraph_standby"),
    adminPrimary: url("postgres", p),
    adminStandby: url("postgres", s),
    ctl: async (role, action) => void (await run(SCRIPT, ["ctl", name, role, action])),
    remove,
  };
}
