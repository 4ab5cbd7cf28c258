/**
 * Mailbox identifiers (xAPI Data 2.4.2.3): `mbox` is a mailto IRI ("mailto:email address") and
 * `mbox_sha1sum` the hex-encoded SHA-1 of such an IRI.
 */
import { createHash } from 'node:crypto';
import { mailto as mailtoRule } from 'xapi-validation/dist/factory.js';

/** True for a `mailto:` IRI holding one e-mail address (xapi-validation's expression). */
export function isMailtoIri(value: unknown): value is string {
  return typeof value === 'string' && mailtoRule(value, []).length === 0;
}

/** True for a 40-digit hexadecimal SHA-1 digest, either case. */
export function isSha1Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{40}$/i.test(value);
}

/**
 * The canonical form of an mbox: `mailto:` lowercased and the domain lowercased ("The domain
 * portions of email addresses are case insensitive", xAPI Data 2.4.2.3). The local part keeps its
 * case, since mail servers may treat it case-sensitively.
 */
export function normalizeMbox(mbox: string): string {
  const address = mbox.replace(/^mailto:/i, '');
  const at = address.lastIndexOf('@');
  if (at < 0) return `mailto:${address}`;
  return `mailto:${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/** The `mbox_sha1sum` of an mbox, computed over its canonical form (lowercase hex). */
export function mboxSha1sum(mbox: string): string {
  return createHash('sha1').update(normalizeMbox(mbox), 'utf8').digest('hex');
}
