/**
 * UUIDs (xAPI Data 2.4.1 and 4.4): "the UUID MUST be in standard string form", i.e. 32 hexadecimal
 * digits in groups of 8-4-4-4-12 separated by hyphens, no braces, no URN prefix. Any version and
 * variant is accepted: the specification's own example id `12345678-1234-5678-1234-567812345678`
 * is not an RFC 4122 variant, and xAPI only recommends variant 2.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in standard string form (either case). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** UUIDs compare case-insensitively (RFC 4122 section 3); this is the form used for keys. */
export function normalizeUuid(value: string): string {
  return value.toLowerCase();
}
