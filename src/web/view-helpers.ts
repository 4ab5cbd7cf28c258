/** Handlebars helpers. Keep them formatting-only: view models arrive ready from presenters. */
export const helpers = {
  eq: (a: unknown, b: unknown) => a === b,
  json: (value: unknown) => JSON.stringify(value),
};
