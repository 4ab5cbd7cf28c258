import { generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { SignJWT, createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';

/** RS256 JWTs for the development LMS (RFC 7515/7519), through jose; the tool side uses ltijs. */
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

/** Signs `payload` (its claims as given, iat and exp included) with RS256; `kid` goes in the header. */
export function signJwt(
  payload: Record<string, unknown>,
  key: Pick<SigningKey, 'kid' | 'privateKey'>,
  kid = key.kid,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key.privateKey);
}

export class JwtError extends Error {}

/**
 * Verifies an RS256 JWT against a JWKS (by kid) and its exp/iat with `leewaySeconds`; returns the
 * payload. Audience, issuer and the rest are the caller's checks.
 */
export async function verifyJwt(
  token: string,
  jwks: { keys: (JsonWebKey & { kid?: string })[] },
  leewaySeconds = 5,
): Promise<Record<string, unknown>> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(jwks as JSONWebKeySet), {
      algorithms: ['RS256'],
      clockTolerance: leewaySeconds,
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    if (err instanceof errors.JOSEError) throw new JwtError(err.message);
    throw err;
  }
  if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + leewaySeconds)
    throw new JwtError('issued in the future');
  return payload;
}
