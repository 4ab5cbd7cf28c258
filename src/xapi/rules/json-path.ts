/**
 * Rendering of JSON paths in error messages: `statement.context.contextActivities.parent[0].id`,
 * `statement.verb.display["en-US"]`, `statement.result.extensions["http://example.com/x"]`.
 */

/** One step of a path: a property name or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Renders path segments as a readable JSON path. Numbers (and digit-only strings, which is how
 * xapi-validation reports array indexes) become `[n]`; names that are not plain identifiers are
 * quoted, so IRIs and language tags stay unambiguous.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) {
      out += `[${segment}]`;
    } else if (out !== '' && IDENTIFIER.test(segment)) {
      out += `.${segment}`;
    } else if (out === '' && IDENTIFIER.test(segment)) {
      out = segment;
    } else {
      out += `[${JSON.stringify(segment)}]`;
    }
  }
  return out;
}
