/**
 * Field types of outcome imports and their parsers. Parsers take what a CSV cell or a JSON value holds
 * and return a normalized value (numbers as canonical decimal strings so PostgreSQL's numeric keeps
 * them exact, dates as YYYY-MM-DD, months as the first day YYYY-MM-01) or a problem code.
 */
export type FieldType = 'text' | 'number' | 'date' | 'month' | 'boolean';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  description: string;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Dates and months must not be after today (UTC). */
  notInFuture?: boolean;
  /** Other header spellings recognized by automatic mapping (compared after normalizeHeader). */
  aliases?: string[];
  /** Highest acceptable share of empty cells (0..1) before the quality report blocks the import. */
  maxNullRate?: number;
}

export type FieldValue = string | boolean | null;

export type Problem =
  | 'missing'
  | 'not_a_number'
  | 'not_a_date'
  | 'not_a_month'
  | 'not_a_boolean'
  | 'out_of_range'
  | 'in_future'
  | 'inconsistent'
  | 'wrong_field_count'
  | 'erased';

export type Parsed = { ok: true; value: FieldValue } | { ok: false; problem: Problem };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})(?:-01)?$/;
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/** True for undefined, null and cells holding only whitespace. */
export function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/**
 * Parses a decimal: "1234.5", "1,234.50", "$12", "12%" (a currency sign or percent sign is dropped;
 * comma grouping must be in threes). No exponents, no locale decimal commas. Returns the canonical
 * decimal string ("1234.50" -> "1234.50", "+3" -> "3", ".5" -> "0.5").
 */
export function parseDecimal(raw: unknown): string | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  let s = raw
    .trim()
    .replace(/^\$|^(-)\$/, '$1')
    .replace(/%$/, '')
    .trim();
  if (GROUPED_NUMBER.test(s)) s = s.replace(/,/g, '');
  if (!NUMBER.test(s)) return undefined;
  if (s.startsWith('+')) s = s.slice(1);
  if (s.startsWith('.')) s = `0${s}`;
  if (s.startsWith('-.')) s = `-0${s.slice(1)}`;
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

/** Parses YYYY-MM-DD, checking the calendar (2025-02-30 is rejected). */
export function parseIsoDate(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = ISO_DATE.exec(raw.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  return m[0];
}

/** Parses a month as YYYY-MM or YYYY-MM-01 and returns its first day, YYYY-MM-01. */
export function parseMonth(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = ISO_MONTH.exec(raw.trim());
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return `${m[1]}-${m[2]}-01`;
}

/** Parses true/false, yes/no, y/n, t/f, 1/0 (any case); JSON booleans pass through. */
export function parseBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw === 1 ? true : raw === 0 ? false : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return undefined;
}

/**
 * Parses one cell for `field`. `today` is YYYY-MM-DD (UTC) for the not-in-the-future rule; a month is
 * in the future when its first day is after today. Blank cells give null, or `missing` when required.
 */
export function parseField(field: FieldSpec, raw: unknown, today: string): Parsed {
  if (isBlank(raw)) return field.required ? { ok: false, problem: 'missing' } : { ok: true, value: null };
  switch (field.type) {
    case 'text':
      return { ok: true, value: String(raw).trim() };
    case 'boolean': {
      const b = parseBoolean(raw);
      return b === undefined ? { ok: false, problem: 'not_a_boolean' } : { ok: true, value: b };
    }
    case 'number': {
      const n = parseDecimal(raw);
      if (n === undefined) return { ok: false, problem: 'not_a_number' };
      const v = Number(n);
      if ((field.min !== undefined && v < field.min) || (field.max !== undefined && v > field.max))
        return { ok: false, problem: 'out_of_range' };
      return { ok: true, value: n };
    }
    case 'date':
    case 'month': {
      const d = field.type === 'date' ? parseIsoDate(raw) : parseMonth(raw);
      if (d === undefined)
        return { ok: false, problem: field.type === 'date' ? 'not_a_date' : 'not_a_month' };
      if (field.notInFuture && d > today) return { ok: false, problem: 'in_future' };
      return { ok: true, value: d };
    }
  }
}

/** What a problem means, phrased to follow "the column X ..." in a message. */
export function describeProblem(problem: Problem, field?: FieldSpec): string {
  switch (problem) {
    case 'missing':
      return 'is empty';
    case 'not_a_number':
      return 'is not a number';
    case 'not_a_date':
      return 'is not a date (use YYYY-MM-DD)';
    case 'not_a_month':
      return 'is not a month (use YYYY-MM)';
    case 'not_a_boolean':
      return 'is not yes/no (use true/false, yes/no or 1/0)';
    case 'out_of_range':
      return `is out of range (${rangeText(field)})`;
    case 'in_future':
      return 'is in the future';
    case 'inconsistent':
      return 'contradicts another column';
    case 'wrong_field_count':
      return 'has a different number of fields than the header';
    case 'erased':
      return `names a person erased on request (GDPR art. 17): remove the rows, or have an admin lift the tombstone ('yardstick person tombstone lift') if the person is back`;
  }
}

function rangeText(field?: FieldSpec): string {
  if (!field) return 'see the documentation';
  if (field.min !== undefined && field.max !== undefined) return `${field.min} to ${field.max}`;
  if (field.min !== undefined) return `at least ${field.min}`;
  if (field.max !== undefined) return `at most ${field.max}`;
  return 'see the documentation';
}

/** Today's date in UTC as YYYY-MM-DD. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
