/**
 * Turns people's attribute objects into numeric covariates for balance tables: numbers stay
 * continuous, booleans become 0/1, and each level of a text attribute becomes its own 0/1 indicator
 * ("department=Sales"). A unit missing an attribute is left out of that covariate only.
 */
export interface CovariateColumn {
  name: string;
  /** Value per unit, or null where the unit has no value. */
  values: (number | null)[];
}

export function covariateColumns(
  attributes: readonly Record<string, unknown>[],
  only?: readonly string[],
): CovariateColumn[] {
  const keys = only ?? [...new Set(attributes.flatMap((a) => Object.keys(a)))].sort();
  const columns: CovariateColumn[] = [];
  for (const key of keys) {
    const raw = attributes.map((a) => a[key]);
    const present = raw.filter((v) => v !== undefined && v !== null && v !== '');
    if (present.length === 0) continue;
    if (present.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      columns.push({ name: key, values: raw.map((v) => (typeof v === 'number' ? v : null)) });
    } else if (present.every((v) => typeof v === 'boolean')) {
      columns.push({ name: key, values: raw.map((v) => (typeof v === 'boolean' ? Number(v) : null)) });
    } else {
      const levels = [...new Set(present.map(String))].sort();
      if (levels.length > 20) continue; // an identifier-like attribute, not a covariate
      for (const level of levels) {
        columns.push({
          name: `${key}=${level}`,
          values: raw.map((v) =>
            v === undefined || v === null || v === '' ? null : Number(String(v) === level),
          ),
        });
      }
    }
  }
  return columns;
}
