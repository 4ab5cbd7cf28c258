import { parseField, type FieldValue, type Problem } from './fields.js';
import type { ColumnMapping } from './column-mapping.js';
import type { OutcomeKind } from './kinds/index.js';

export interface RowError {
  /** The field, or "*" for problems of the whole row. */
  field: string;
  problem: Problem;
}

export interface ValidatedRow {
  /** The row as a spreadsheet numbers it: the header is row 1, the first data row is row 2. */
  rowNumber: number;
  employeeId: string | null;
  /** JSON array of the natural-key values; null when one of them is missing or invalid. */
  naturalKey: string | null;
  /** Normalized values of valid cells, null for blank or invalid ones. */
  values: Record<string, FieldValue>;
  errors: RowError[];
  /** Fields whose cell was blank (for null rates). */
  blank: string[];
}

/**
 * Validates one record (cells in file order) against the kind through the column mapping. A record
 * with a different number of cells than the header gets one whole-row error and no values, since
 * its cells cannot be trusted to be in their columns. `today` is YYYY-MM-DD (UTC).
 */
export function validateRow(
  kind: OutcomeKind,
  mapping: ColumnMapping,
  record: unknown[],
  rowNumber: number,
  today: string,
  headerLength: number,
): ValidatedRow {
  const values: Record<string, FieldValue> = {};
  const errors: RowError[] = [];
  const blank: string[] = [];
  if (record.length !== headerLength) {
    return {
      rowNumber,
      employeeId: null,
      naturalKey: null,
      values,
      errors: [{ field: '*', problem: 'wrong_field_count' }],
      blank,
    };
  }
  for (const field of kind.fields) values[field.name] = null;
  for (const { field, index } of mapping.columns) {
    const raw = record[index];
    const parsed = parseField(field, raw, today);
    if (parsed.ok) {
      values[field.name] = parsed.value;
      if (parsed.value === null) blank.push(field.name);
    } else {
      errors.push({ field: field.name, problem: parsed.problem });
      if (parsed.problem === 'missing') blank.push(field.name);
    }
  }
  for (const field of kind.fields)
    if (!mapping.columns.some((c) => c.field.name === field.name)) blank.push(field.name);
  if (errors.length === 0 && kind.crossCheck) errors.push(...kind.crossCheck(values));
  const keyValues = kind.keyFields.map((k) => values[k]);
  const employeeId = typeof values.employee_id === 'string' ? values.employee_id : null;
  return {
    rowNumber,
    employeeId,
    naturalKey: keyValues.some((v) => v === null) ? null : JSON.stringify(keyValues),
    values,
    errors,
    blank,
  };
}
