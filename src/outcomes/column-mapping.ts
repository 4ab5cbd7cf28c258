import { ValidationError, type ErrorDetail } from '../errors.js';
import type { FieldSpec } from './fields.js';

/** A mapping target meaning "ignore this column". */
export const IGNORE = '-';

export interface MappedColumn {
  field: FieldSpec;
  /** The header as written in the file. */
  header: string;
  /** Position of the column in each record. */
  index: number;
}

export interface ColumnMapping {
  columns: MappedColumn[];
  /** Headers that map to no field (reported as a warning, their cells are not read). */
  ignored: string[];
  /** header -> field as applied, recorded on the import. */
  applied: Record<string, string>;
}

/**
 * Normalizes a header for automatic mapping: "Employee ID" and "EmployeeId" -> "employee_id",
 * "Deferral %" -> "deferral_pct". A UTF-8 byte-order mark is dropped.
 */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/%/g, ' pct ')
    .replace(/#/g, ' number ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Maps the file's headers to the kind's fields. `explicit` (header -> field, or header -> "-" to
 * ignore a column) wins; every other header is matched by its normalized name against field names and
 * aliases. Every problem (a mapped header the file lacks, an unknown field, two columns for one field,
 * required fields without a column) is reported at once in one ValidationError.
 */
export function resolveColumnMapping(
  kind: { name: string; fields: FieldSpec[] },
  headers: string[],
  explicit: Record<string, string> = {},
): ColumnMapping {
  const problems: ErrorDetail[] = [];
  const byField = new Map<string, MappedColumn[]>();
  const fieldsByName = new Map(kind.fields.map((f) => [f.name, f]));
  const ignored: string[] = [];
  const headerIndex = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!headerIndex.has(h.trim())) headerIndex.set(h.trim(), i);
  });

  for (const [header, target] of Object.entries(explicit)) {
    if (!headerIndex.has(header.trim()))
      problems.push({
        path: `mapping.${header}`,
        message: `the mapping names a column "${header}" that the file does not have (its columns: ${headers.join(', ')})`,
      });
    if (target !== IGNORE && !fieldsByName.has(target))
      problems.push({
        path: `mapping.${header}`,
        message: `"${header}" is mapped to "${target}", which is not a ${kind.name} field (fields: ${[...fieldsByName.keys()].join(', ')})`,
      });
  }
  const explicitByHeader = new Map(Object.entries(explicit).map(([h, f]) => [h.trim(), f]));
  const autoIndex = new Map<string, FieldSpec>();
  for (const f of kind.fields)
    for (const name of [f.name, ...(f.aliases ?? [])]) {
      const key = normalizeHeader(name);
      if (!autoIndex.has(key)) autoIndex.set(key, f);
    }

  headers.forEach((rawHeader, index) => {
    const header = rawHeader.replace(/^\uFEFF/, '').trim();
    const target = explicitByHeader.get(header) ?? explicitByHeader.get(rawHeader.trim());
    const field = target !== undefined ? fieldsByName.get(target) : autoIndex.get(normalizeHeader(rawHeader));
    if (!field) {
      if (target === undefined) ignored.push(header);
      return;
    }
    const list = byField.get(field.name) ?? [];
    list.push({ field, header, index });
    byField.set(field.name, list);
  });

  for (const [name, list] of byField)
    if (list.length > 1)
      problems.push({
        path: `field.${name}`,
        message: `the columns ${list.map((c) => `"${c.header}"`).join(' and ')} both map to ${name}; map one of them with header=${IGNORE} or to another field`,
      });
  const missing = kind.fields.filter((f) => f.required && !byField.has(f.name)).map((f) => f.name);
  if (missing.length)
    problems.push({
      path: 'columns',
      message: `the required ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (map a header to ${missing.length === 1 ? 'it' : 'each'} with header=field)`,
    });

  if (problems.length)
    throw new ValidationError(
      `The columns of this ${kind.name} file do not fit: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  const columns = [...byField.values()].map((l) => l[0]!);
  return {
    columns,
    ignored,
    applied: Object.fromEntries(columns.map((c) => [c.header, c.field.name])),
  };
}

/** Parses `header=field` pairs (the CLI's --map and the API's ?map=) into a mapping object. */
export function parseMappingPairs(pairs: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  const bad: string[] = [];
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) bad.push(pair);
    else mapping[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  if (bad.length)
    throw new ValidationError(
      `Column mappings are written header=field (e.g. "Emp No=employee_id"); these are not: ${bad.map((b) => `"${b}"`).join(', ')}.`,
      bad.map((b) => ({ path: 'map', message: b })),
    );
  return mapping;
}
