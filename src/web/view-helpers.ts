/**
 * JSON for an inline `<script type="application/json">` block, written with `{{{ }}}`: `<`, `>` and `&`
 * become \u escapes, so no string in it can end the element (`</script>`) or open a comment (`<!--`),
 * and U+2028/U+2029 are escaped for parsers older than ES2019. `JSON.parse` reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Handlebars helpers. Keep them formatting-only: view models arrive ready from presenters. */
export const helpers = {
  eq: (a: unknown, b: unknown) => a === b,
  /** `{{{json value}}}` inside a JSON script block (see jsonForScript). */
  json: (value: unknown) => jsonForScript(value),
  /** `{{> form-field (hash id="x" label="X")}}`: a partial context of exactly these values (no fall-through to the page's). */
  hash: (options: { hash: Record<string, unknown> }) => options.hash,
};
