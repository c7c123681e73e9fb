/**
 * Who is acting: recorded on every verdict change, re-anchoring and dismissal. Mutations act as
 * their API key (requireRole); the seed import acts as "seed", without a key.
 */
export interface Actor {
  name: string;
  apiKeyId: string | null;
}
