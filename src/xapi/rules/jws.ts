/**
 * JSON Web Signatures in compact serialization (RFC 7515 section 7.1), restricted to the algorithms
 * xAPI allows for signed statements: RS256, RS384, RS512 (RSASSA-PKCS1-v1_5, RFC 7518 section 3.3).
 * Decoding and verification go through jose, the one JOSE toolkit of the code base (the development
 * LMS signs its JWTs with it too); this file only adds the xAPI rules and their messages.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { base64url, compactVerify } from 'jose';
import { isJsonObject } from './json.js';
import type { JsonObject } from './types.js';

/** The JWS algorithms xAPI Data 2.6 allows. */
export const XAPI_JWS_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;
export type XapiJwsAlgorithm = (typeof XAPI_JWS_ALGORITHMS)[number];

export interface CompactJws {
  /** The compact JWS as received (trimmed), which jose verifies. */
  token: string;
  header: JsonObject;
  /** The payload decoded as UTF-8 (base64url-decoded unless the header says `b64: false`). */
  payloadText: string;
}

export type CompactJwsResult = ({ ok: true } & CompactJws) | { ok: false; message: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Header parameters whose meaning this code knows, so `crit` may name them (RFC 7515 4.1.11). */
const UNDERSTOOD_CRITICAL = new Set(['b64']);

/**
 * Splits and decodes a compact JWS. Does not verify the signature. An unencoded payload (RFC 7797:
 * `b64: false`, listed in `crit`) is taken as it stands; `crit` naming anything else is refused, as
 * RFC 7515 4.1.11 requires of a recipient that does not understand it.
 */
export function parseCompactJws(input: string | Buffer): CompactJwsResult {
  const token = (typeof input === 'string' ? input : input.toString('utf8')).trim();
  if (token.startsWith('{')) {
    return {
      ok: false,
      message:
        'is a JWS JSON serialization; send the JWS in compact serialization (header.payload.signature)',
    };
  }
  const parts = token.split('.');
  const notCompact = {
    ok: false,
    message: 'is not a compact JWS: expected three base64url parts separated by dots',
  } as const;
  if (parts.length !== 3) return notCompact;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (!BASE64URL.test(headerPart) || !BASE64URL.test(signaturePart)) return notCompact;
  let header: unknown;
  try {
    header = JSON.parse(decodeUtf8(headerPart));
  } catch {
    return { ok: false, message: 'has a JWS header that is not JSON' };
  }
  if (!isJsonObject(header)) return { ok: false, message: 'has a JWS header that is not a JSON object' };
  const b64 = payloadEncoding(header);
  if (typeof b64 === 'string') return { ok: false, message: b64 };
  if (b64 && !BASE64URL.test(payloadPart)) return notCompact;
  if (signaturePart.length === 0) return { ok: false, message: 'has an empty JWS signature' };
  return { ok: true, token, header, payloadText: b64 ? decodeUtf8(payloadPart) : payloadPart };
}

/** True when the payload is base64url-encoded, false for RFC 7797's unencoded payload, or why not. */
function payloadEncoding(header: JsonObject): boolean | string {
  const crit = header.crit;
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((name) => typeof name !== 'string'))
      return 'has a JWS crit header that is not a non-empty array of header names (RFC 7515 section 4.1.11)';
    const unknown = (crit as string[]).filter((name) => !UNDERSTOOD_CRITICAL.has(name));
    if (unknown.length > 0)
      return `has a JWS crit header naming ${unknown.map((n) => JSON.stringify(n)).join(', ')}, which this LRS does not understand; only "b64" may be critical`;
  }
  if (header.b64 === undefined) return true;
  if (typeof header.b64 !== 'boolean') return 'has a JWS b64 header that is not true or false (RFC 7797)';
  if (!Array.isArray(crit) || !crit.includes('b64'))
    return 'has a JWS b64 header that crit does not list; add "b64" to crit (RFC 7797 section 6)';
  return header.b64;
}

function decodeUtf8(part: string): string {
  return new TextDecoder().decode(base64url.decode(part));
}

/** True when `alg` is one xAPI allows. */
export function isXapiJwsAlgorithm(alg: unknown): alg is XapiJwsAlgorithm {
  return typeof alg === 'string' && (XAPI_JWS_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * Verifies a JWS signature (RS256/384/512 only) with an RSA public key (a KeyObject or PEM), through
 * jose. False for a wrong key, a key that is not RSA or is shorter than 2048 bits, or a bad signature.
 */
export async function verifyJwsSignature(jws: CompactJws, key: KeyObject | string): Promise<boolean> {
  try {
    const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
    await compactVerify(jws.token, publicKey, { algorithms: [...XAPI_JWS_ALGORITHMS] });
    return true;
  } catch {
    return false;
  }
}
