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
 * Verifies a secret against a stored hash in constant time. Successful checks are memoized per
 * (stored hash, secret digest) in a small bounded map: the result of a pure function, never a
 * decision about revocation (the caller reads the credential row on every request), so any app
 * server may forget it at any time.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const memoKey = `${stored}\u0000${createHash('sha256').update(secret).digest('base64url')}`;
  if (verified.has(memoKey)) return true;
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64url');
  const actual = await scrypt(secret, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * Number(n) * Number(r) + 1024 * 1024,
  });
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (ok) {
    if (verified.size >= MEMO_LIMIT) verified.clear();
    verified.add(memoKey);
  }
  return ok;
}

const MEMO_LIMIT = 10000;
const verified = new Set<string>();

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
