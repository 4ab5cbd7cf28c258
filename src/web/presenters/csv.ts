/** A CSV cell: text, a number, or empty (null). */
export type CsvCell = string | number | null;

/** One tidy export table: one header row (snake_case, units in the names), one row per entity. */
export interface CsvTable {
  id: string;
  headers: readonly string[];
  rows: readonly (readonly CsvCell[])[];
}

/**
 * One CSV document (RFC 4180: comma separated, CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled). Numbers are written plainly ('.' decimal, no thousands separators, at most 6
 * decimals); null and non-finite numbers are empty. A text cell starting with =, +, -, @, tab or CR gets
 * a leading apostrophe, so a spreadsheet does not run an answer a learner typed as a formula (OWASP "CSV
 * injection"); numbers never do, so a negative change stays a number.
 */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [headers, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A number as CSV text: rounded to 6 decimals, never in exponent notation or with separators. */
export function csvNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  const rounded = Math.round(x * 1e6) / 1e6;
  return Math.abs(rounded) < 1e-6 ? '0' : rounded.toFixed(6).replace(/\.?0+$/, '');
}

function csvField(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return csvNumber(value);
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
