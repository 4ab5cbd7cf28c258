import {
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** A small RS256 JWT toolkit for the development LMS (RFC 7515/7519); the tool side uses ltijs. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `payload` with RS256; `kid` goes in the header (defaults to the key's). */
export function signJwt(
  payload: Record<string, unknown>,
  key: Pick<SigningKey, 'kid' | 'privateKey'>,
  kid = key.kid,
): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}

export class JwtError extends Error {}

/**
 * Verifies an RS256 JWT against a JWKS (by kid) and its exp/iat with `leewaySeconds`; returns the
 * payload. Audience, issuer and the rest are the caller's checks.
 */
export function verifyJwt(
  token: string,
  jwks: { keys: (JsonWebKey & { kid?: string })[] },
  leewaySeconds = 5,
): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('not a JWT');
  const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) as { alg?: string; kid?: string };
  if (header.alg !== 'RS256') throw new JwtError(`alg ${header.alg} is not RS256`);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new JwtError(`no key with kid ${header.kid} in the keyset`);
  const ok = createVerify('RSA-SHA256')
    .update(`${parts[0]}.${parts[1]}`)
    .verify(createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(parts[2]!, 'base64url'));
  if (!ok) throw new JwtError('bad signature');
  const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as Record<string, unknown>;
  const now = Date.now() / 1000;
  if (typeof payload.exp !== 'number' || payload.exp < now - leewaySeconds) throw new JwtError('expired');
  if (typeof payload.iat === 'number' && payload.iat > now + leewaySeconds)
    throw new JwtError('issued in the future');
  return payload;
}
