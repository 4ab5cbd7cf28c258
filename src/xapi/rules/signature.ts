/**
 * Signed statements (xAPI Data 2.6).
 *
 * A signed statement carries a JWS as an attachment with usageType
 * `http://adlnet.gov/expapi/attachments/signature` and contentType `application/octet-stream`. To
 * verify it is well formed the LRS MUST: decode the JWS and load the statement from its payload;
 * check that payload is logically equivalent to the received statement (Statement Comparison
 * Requirements, see equivalence.ts: the payload was made before the LRS added id/stored/authority,
 * and before the signature attachment existed); if the header has an X.509 certificate, validate
 * the signature against it; check the algorithm is RS256, RS384 or RS512. Malformed signatures are
 * rejected with 400.
 *
 * Certificates: the signature is verified with the public key of `x5c[0]`, and each further
 * certificate must have issued and signed the one before it. Expiry and trust anchors are not
 * checked: the specification calls this step "a way to catch mistakes in the signature, not a
 * security measure". Without `x5c` the signature cannot be checked against anything unless the
 * caller supplies a key; the result then says `verified: false`.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { compareStatements } from './equivalence.js';
import { isJsonObject, parseJsonLossless } from './json.js';
import { formatPath, type PathSegment } from './json-path.js';
import { isXapiJwsAlgorithm, parseCompactJws, verifyJwsSignature } from './jws.js';
import type { JsonObject, RuleError } from './types.js';

export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';

export type SignatureResult =
  | { ok: true; algorithm: string; verified: boolean; certificate?: X509Certificate }
  | { ok: false; errors: RuleError[] };

export interface VerifySignatureOptions {
  /** Path of the signature attachment in messages; default `statement.attachments`. */
  path?: PathSegment[];
  /** A key to verify with when the JWS has no x5c (e.g. a key registered for the client). */
  publicKey?: KeyObject | string;
}

/** The indexes of a statement's signature attachments. */
export function signatureAttachmentIndexes(statement: JsonObject): number[] {
  if (!Array.isArray(statement.attachments)) return [];
  return statement.attachments.flatMap((attachment, index) =>
    isJsonObject(attachment) && attachment.usageType === SIGNATURE_USAGE_TYPE ? [index] : [],
  );
}

/**
 * Checks the JWS of a signature attachment against the statement it was received with.
 *
 * @param statement the received statement (as parsed; before prepare)
 * @param jws the bytes of the signature attachment's multipart part
 */
export async function verifyStatementSignature(
  statement: JsonObject,
  jws: Buffer | string,
  options: VerifySignatureOptions = {},
): Promise<SignatureResult> {
  const at = formatPath(options.path ?? ['statement', 'attachments']);
  const fail = (message: string): SignatureResult => ({
    ok: false,
    errors: [{ path: at, message: `the JWS signature attachment ${message} (xAPI Data 2.6)` }],
  });
  const parsed = parseCompactJws(jws);
  if (!parsed.ok) return fail(parsed.message);
  const alg = parsed.header.alg;
  if (!isXapiJwsAlgorithm(alg)) {
    return fail(`uses the algorithm ${JSON.stringify(alg)}; sign with RS256, RS384 or RS512`);
  }
  const payload = parseJsonLossless(parsed.payloadText);
  if (!payload.ok)
    return fail(
      `has a payload that ${payload.message}; the payload must be the JSON statement that was signed`,
    );
  if (!isJsonObject(payload.value)) return fail('has a payload that is not a JSON statement object');
  const comparison = compareStatements(payload.value, statement, {
    labels: ['the JWS payload', 'the statement'],
  });
  if (!comparison.equivalent) {
    const details = comparison.differences.map((d) => `${d.path} ${d.message}`).join('; ');
    return fail(`has a payload that does not match the statement: ${details}`);
  }
  const x5c = parsed.header.x5c;
  if (x5c === undefined) {
    if (options.publicKey === undefined) return { ok: true, algorithm: alg, verified: false };
    return (await verifyJwsSignature(parsed, options.publicKey))
      ? { ok: true, algorithm: alg, verified: true }
      : fail('has a signature that does not verify with the key registered for this client');
  }
  const chain = parseCertificateChain(x5c);
  if (typeof chain === 'string') return fail(chain);
  const leaf = chain[0]!;
  if (leaf.publicKey.asymmetricKeyType !== 'rsa')
    return fail('has an x5c[0] certificate whose key is not RSA; RS256/384/512 need an RSA key');
  if (!(await verifyJwsSignature(parsed, leaf.publicKey))) {
    return fail(
      `has a signature that does not verify with the certificate in x5c[0] (${leaf.subject.replace(/\n/g, ', ')})`,
    );
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i]!;
    const issuer = chain[i + 1]!;
    if (!child.checkIssued(issuer) || !child.verify(issuer.publicKey)) {
      return fail(
        `has an x5c chain where certificate ${i} was not issued and signed by certificate ${i + 1}; list the chain leaf first, each certificate followed by its issuer`,
      );
    }
  }
  return { ok: true, algorithm: alg, verified: true, certificate: leaf };
}

function parseCertificateChain(x5c: unknown): X509Certificate[] | string {
  if (!Array.isArray(x5c) || x5c.length === 0)
    return 'has an x5c header that is not a non-empty array of certificates';
  const chain: X509Certificate[] = [];
  for (const [index, entry] of x5c.entries()) {
    if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+=*$/.test(entry)) {
      return `has x5c[${index}] that is not a base64 DER certificate`;
    }
    try {
      chain.push(new X509Certificate(Buffer.from(entry, 'base64')));
    } catch {
      return `has x5c[${index}] that is not a valid X.509 certificate`;
    }
  }
  return chain;
}

/**
 * Checks every signature attachment of a request's statements against its JWS part (from
 * attachments.ts `matchAttachmentParts`). A signature attachment without a part cannot be checked
 * and is rejected: the LRS MUST verify signatures are well formed.
 */
export async function verifySignedStatements(
  statements: unknown[],
  partsBySha2: ReadonlyMap<string, { body: Buffer }>,
  batch: boolean,
): Promise<{ ok: true } | { ok: false; errors: RuleError[] }> {
  const errors: RuleError[] = [];
  for (const [index, statement] of statements.entries()) {
    if (!isJsonObject(statement)) continue;
    const root: PathSegment[] = batch ? ['statements', index] : ['statement'];
    for (const i of signatureAttachmentIndexes(statement)) {
      const attachment = (statement.attachments as JsonObject[])[i]!;
      const path = [...root, 'attachments', i];
      const part =
        typeof attachment.sha2 === 'string' ? partsBySha2.get(attachment.sha2.toLowerCase()) : undefined;
      if (!part) {
        errors.push({
          path: formatPath(path),
          message:
            'is a signature attachment without its JWS data; send the JWS as a multipart/mixed part so the LRS can check it (xAPI Data 2.6)',
        });
        continue;
      }
      const result = await verifyStatementSignature(statement, part.body, { path });
      if (!result.ok) errors.push(...result.errors);
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
