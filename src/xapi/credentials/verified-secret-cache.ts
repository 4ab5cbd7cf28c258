import { secretDigest } from './secret-hash.js';

/**
 * Secrets already verified with scrypt, so a valid client pays scrypt once per app server rather than
 * once per request. Keyed by credential key and the SHA-256 of the presented secret (never the secret
 * itself), holding the stored hash it matched: a hit counts only while the credential row still holds
 * that hash. Revocation stays immediate: every request still reads the row (revoked_at), and revoking
 * drops the key's entries here too. Bounded: the least recently used entry goes first.
 */
export interface VerifiedSecretCache {
  /** True when `secret` was verified for `key` against `storedHash`. */
  has(key: string, secret: string, storedHash: string): boolean;
  /** True when `secret` was verified for `key` (whatever the hash); no database read needed. */
  knows(key: string, secret: string): boolean;
  remember(key: string, secret: string, storedHash: string): void;
  forget(key: string): void;
}

export function createVerifiedSecretCache(limit = 10_000): VerifiedSecretCache {
  const entries = new Map<string, string>();
  const id = (key: string, secret: string) => `${key}\u0000${secretDigest(secret)}`;
  return {
    has(key, secret, storedHash) {
      const k = id(key, secret);
      const hash = entries.get(k);
      if (hash !== storedHash) return false;
      entries.delete(k);
      entries.set(k, hash);
      return true;
    },
    knows(key, secret) {
      return entries.has(id(key, secret));
    },
    remember(key, secret, storedHash) {
      const k = id(key, secret);
      entries.delete(k);
      entries.set(k, storedHash);
      if (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
    forget(key) {
      const prefix = `${key}\u0000`;
      for (const k of entries.keys()) if (k.startsWith(prefix)) entries.delete(k);
    },
  };
}
