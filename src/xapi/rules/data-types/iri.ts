/**
 * IRIs and IRLs (xAPI Data 4.3, 2.2): values that must be IRIs are validated with xapi-validation's
 * RFC 3987 expression, which requires a scheme ("The LRS MUST reject ... IRL or IRI values without a
 * scheme"). The specification allows best-effort validation here, and IRLs use the same check.
 */
import { iri as iriRule } from 'xapi-validation/dist/factory.js';

/** True when `value` is a string that is an absolute IRI (scheme required). */
export function isIri(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && iriRule(value, []).length === 0;
}
