/**
 * JSON Web Signatures in compact serialization (RFC 7515 section 7.1), restricted to the algorithms
 * xAPI allows for signed statements: RS256, RS384, RS512 (RSASSA-PKCS1-v1_5, RFC 7518 section 3.3).
 * Only node:crypto is used.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { isJsonObject } from './json.js';
import type { JsonObject } from './types.js';

/** The JWS algorithms xAPI Data 2.6 allows, with their hash. */
export const XAPI_JWS_ALGORITHMS = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;
export type XapiJwsAlgorithm = keyof typeof XAPI_JWS_ALGORITHMS;

export interface CompactJws {
  header: JsonObject;
  /** The payload bytes decoded as UTF-8. */
  payloadText: string;
  /** `BASE64URL(header) . BASE64URL(payload)`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export type CompactJwsResult = ({ ok: true } & CompactJws) | { ok: false; message: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Splits and decodes a compact JWS. Does not verify the signature. */
export function parseCompactJws(input: string | Buffer): CompactJwsResult {
  const text = (typeof input === 'string' ? input : input.toString('utf8')).trim();
  if (text.startsWith('{')) {
    return {
      ok: false,
      message:
        'is a JWS JSON serialization; send the JWS in compact serialization (header.payload.signature)',
    };
  }
  const parts = text.split('.');
  if (parts.length !== 3 || parts.some((part) => !BASE64URL.test(part))) {
    return { ok: false, message: 'is not a compact JWS: expected three base64url parts separated by dots' };
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: 'has a JWS header that is not JSON' };
  }
  if (!isJsonObject(header)) return { ok: false, message: 'has a JWS header that is not a JSON object' };
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length === 0) return { ok: false, message: 'has an empty JWS signature' };
  return {
    ok: true,
    header,
    payloadText: Buffer.from(payloadPart, 'base64url').toString('utf8'),
    signingInput: `${headerPart}.${payloadPart}`,
    signature,
  };
}

/** True when `alg` is one xAPI allows. */
export function isXapiJwsAlgorithm(alg: unknown): alg is XapiJwsAlgorithm {
  return typeof alg === 'string' && Object.prototype.hasOwnProperty.call(XAPI_JWS_ALGORITHMS, alg);
}

/** Verifies an RS256/384/512 signature over the signing input with an RSA public key. */
export function verifyJwsSignature(jws: CompactJws, alg: XapiJwsAlgorithm, key: KeyObject | string): boolean {
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'rsa') return false;
  try {
    return verify(XAPI_JWS_ALGORITHMS[alg], Buffer.from(jws.signingInput, 'ascii'), publicKey, jws.signature);
  } catch {
    return false;
  }
}
