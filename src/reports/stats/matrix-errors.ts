/**
 * Errors raised by the attribution estimators (OLS, cluster-robust variance, difference-in-differences,
 * logistic regression, propensity-score matching, balance tables).
 *
 * Calculators are pure and cannot import the application's `AppError` family, so this error carries
 * the same shape: a `code` of `invalid` and `details` for the caller. The web layer maps it like any
 * other invalid-input error. Messages are written for the person who supplied the data and say what to
 * change ("difference-in-differences needs at least 2 clusters in each group; treatment has 1").
 */
export class AttributionInputError extends Error {
  readonly code = 'invalid' as const;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AttributionInputError';
    this.details = details;
  }
}

/**
 * Lists at most `limit` items for an error message: "4, 9 and 17" or "4, 9, 17, 21, 30 and 12 more".
 */
export function listForMessage(items: readonly (string | number)[], limit = 5): string {
  const shown = items.slice(0, limit).map(String);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
