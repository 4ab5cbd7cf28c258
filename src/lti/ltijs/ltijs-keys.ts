/* eslint-disable @typescript-eslint/no-explicit-any -- ltijs ships no types; this file is the boundary */
import { createPublicKey, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * The tool's key pairs as ltijs stores them, through the provider's public Database plugin
 * (`Get`/`Replace`), instead of ltijs' unexported `dist/Utils/Auth` and `dist/Utils/Keyset`. The layout
 * mirrors ltijs 5.9: one pair per (platformUrl, clientId), the public key as SPKI PEM, the private key as
 * PKCS#1 PEM (encrypted by the plugin with the encryption key), both under a random 32-hex `kid`.
 */

const generate = promisify(generateKeyPair);

/** A public key as a JWK in ltijs' keyset shape: RSA, `alg` RS256, `use` sig. */
export function publicJwk(pem: string, kid: string): Record<string, unknown> {
  return { ...createPublicKey(pem).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

/**
 * Generates a new RSA-4096 pair for (issuer, clientId), replacing the stored pair, and returns its kid.
 * Generated off the event loop (ltijs' own generator blocks it for about a second).
 */
export async function generateToolKeyPair(
  db: any,
  encryptionKey: string,
  issuer: string,
  clientId: string,
): Promise<string> {
  let kid = randomBytes(16).toString('hex');
  while (await db.Get(false, 'publickey', { kid })) kid = randomBytes(16).toString('hex');
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: 4096,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const owner = { platformUrl: issuer, clientId };
  const index = { kid, ...owner };
  await db.Replace(encryptionKey, 'publickey', owner, { key: publicKey, kid }, index);
  await db.Replace(encryptionKey, 'privatekey', owner, { key: privateKey, kid }, index);
  return kid;
}

/** Every public key ltijs holds, as the JWKS `keys` it serves at /lti/keys. */
export async function toolPublicKeys(db: any, encryptionKey: string): Promise<Record<string, unknown>[]> {
  const keys = ((await db.Get(encryptionKey, 'publickey')) || []) as { key: string; kid: string }[];
  return keys.map((k) => publicJwk(k.key, k.kid));
}
