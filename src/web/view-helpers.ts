/** Handlebars helpers. Keep them formatting-only: view models arrive ready from presenters. */
export const helpers = {
  eq: (a: unknown, b: unknown) => a === b,
  json: (value: unknown) => JSON.stringify(value),
  /** `{{> form-field (hash id="x" label="X")}}`: a partial context of exactly these values (no fall-through to the page's). */
  hash: (options: { hash: Record<string, unknown> }) => options.hash,
};
