import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { ApiKey, ApiKeyRole, PrismaClient } from "../generated/prisma/client";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { isUuid } from "../db/uuid";
import { keyName } from "../validation/fields";
import { keyDirectory } from "./directory";

const KEY_PREFIX = "cgk_";
/** What `create` hands out: the prefix and 32 random bytes in base64url (43 characters). */
const KEY_FORMAT = /^cgk_[A-Za-z0-9_-]{43}$/;

/** Why a sent credential did not authenticate (README "API keys"). */
export type CredentialProblem = "MALFORMED" | "UNKNOWN" | "REVOKED";
const ROLE_RANK: Record<ApiKeyRole, number> = { VIEWER: 0, EDITOR: 1, ADMIN: 2 };

const keyInput = z.object({ name: keyName });

// Keys are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
function hashKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function roleAllows(role: ApiKeyRole, needed: ApiKeyRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export class ApiKeyService {

  private readonly directory;

  constructor(private readonly prisma: PrismaClient) {
    this.directory = keyDirectory(prisma);
  }

  /**
   * The active key a bearer token names, or why it names none. A malformed token, a revoked key and
   * a key nobody issued cost no look-up of their own (src/auth/directory.ts).
   */
  async authenticate(secret: string): Promise<{ apiKey: ApiKey } | { problem: CredentialProblem }> {
    if (!KEY_FORMAT.test(secret)) return { problem: "MALFORMED" };
    const hash = hashKey(secret);
    if (this.directory.standingOf(hash) === undefined) await this.directory.reload();
    const standing = this.directory.standingOf(hash);
    if (!standing) return { problem: "UNKNOWN" };
    if (standing.revoked) return { problem: "REVOKED" };
    const key = await this.prisma.apiKey.findUnique({ where: { hash } });
    if (!key) return { problem: "UNKNOWN" };
    if (key.revokedAt) this.directory.note(hash, { role: key.role, revoked: true });
    return key.revokedAt ? { problem: "REVOKED" } : { apiKey: key };
  }

  /**
   * Whether a key that authenticated a long-lived connection has not been revoked since, by this
   * process's key list (no database call; revocations elsewhere are seen within KEY_STALE_MS).
   */
  stillActive(key: ApiKey): boolean {
    return !this.directory.recentStandingOf(key.hash)?.revoked;
  }

  /** Loads the list of issued keys now (at start-up). */
  loadDirectory(): Promise<void> {
    return this.directory.reload();
  }

  /**
   * Whether a bearer token names an active key that may write (EDITOR or ADMIN), without waiting:
   * such requests wait for a connection under load, the rest (anonymous, VIEWER, unknown) are shed.
   * A well-formed token the list does not know starts a (shared, rate-limited) reload, so a key
   * issued elsewhere is known by the client's retry.
   */
  mayWrite(secret: string): boolean {
    if (!KEY_FORMAT.test(secret)) return false;
    const standing = this.directory.standingOf(hashKey(secret));
    if (standing === undefined) this.directory.reload().catch(() => undefined);
    return standing !== undefined && !standing.revoked && roleAllows(standing.role, "EDITOR");
  }

  async touch(key: ApiKey): Promise<void> {
    await this.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }

  /** Creates a key; the secret is returned once and never stored. */
  async create(input: { name: string; role: ApiKeyRole }): Promise<{ apiKey: ApiKey; secret: string }> {
    const { name } = parseInput(keyInput, input);
    const secret = KEY_PREFIX + randomBytes(32).toString("base64url");
    const apiKey = await this.prisma.apiKey.create({
      data: { name, role: input.role, prefix: secret.slice(0, KEY_PREFIX.length + 6), hash: hashKey(secret) },
    });
    this.directory.note(apiKey.hash, { role: apiKey.role, revoked: false });
    return { apiKey, secret };
  }

  /**
   * Makes sure a secret chosen by the operator is a key, stored hashed like any other. Idempotent
   * (every start and every replica may call it); an existing key is left as it is, so a revoked
   * bootstrap key stays revoked.
   */
  async ensure(secret: string, name: string, role: ApiKeyRole): Promise<ApiKey> {
    const hash = hashKey(secret);
    const data = { name, role, prefix: secret.slice(0, KEY_PREFIX.length + 6), hash };
    try {
      return await this.prisma.apiKey.upsert({ where: { hash }, create: data, update: {} });
    } catch (err) {
      // Another replica created it at the same moment.
      if ((err as { code?: string }).code !== "P2002") throw err;
      return this.prisma.apiKey.findUniqueOrThrow({ where: { hash } });
    }
  }

  async revoke(keyId: string): Promise<ApiKey> {
    // The CLI passes ids as typed; a malformed one is simply not a key (not a database error).
    const key = isUuid(keyId) ? await this.prisma.apiKey.findUnique({ where: { id: keyId } }) : null;
    if (!key) throw new UserErrors([userError("NOT_FOUND", "no API key with this ID", ["input", "apiKeyId"])]);
    if (key.revokedAt) return key;
    const revoked = await this.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    this.directory.note(revoked.hash, { role: revoked.role, revoked: true });
    return revoked;
  }

  byId(id: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findUnique({ where: { id } });
  }

  list(): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  }
}
