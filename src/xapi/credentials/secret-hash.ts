import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/** scrypt cost: N=2^14, r=8, p=1 (RFC 7914 interactive-login parameters), 32-byte output. */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/** Hashes a secret as `scrypt$N$r$p$salt$hash` (base64url), with a random 16-byte salt. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * Verifies a secret against a stored hash in constant time. scrypt runs asynchronously on libuv's
 * thread pool, never on the event loop. Callers cache successes (see verified-secret-cache.ts).
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64url');
  const actual = await scrypt(secret, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * Number(n) * Number(r) + 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random secret nobody knows, with the same cost as real ones: an unknown key is checked
 * against it so that it costs the same scrypt work as a known key with a wrong secret, and the
 * response time does not tell whether a key exists.
 */
export function dummySecretHash(): Promise<string> {
  dummy ??= hashSecret(randomBytes(32).toString('base64url'));
  return dummy;
}

/** SHA-256 of a presented secret (base64url): what caches hold instead of the secret. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/**
 * A credential key (the public half): the tenant id (16 bytes) then 12 random bytes, base64url, 38
 * characters. Carrying the tenant lets every lookup name its tenant first.
 */
export function newCredentialKey(tenantId: string): string {
  return Buffer.concat([Buffer.from(tenantId.replace(/-/g, ''), 'hex'), randomBytes(12)]).toString(
    'base64url',
  );
}

/** The tenant id a credential key carries, or undefined for a key of another shape. */
export function tenantOfCredentialKey(key: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{38}$/.test(key)) return undefined;
  const hex = Buffer.from(key, 'base64url').subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random credential secret: 32 bytes, base64url (256 bits). */
export function newCredentialSecret(): string {
  return randomBytes(32).toString('base64url');
}
