/**
 * CSV input for the analyze methods: parsing (csv-parse) and typed column readers that collect every
 * problem per column ("the CSV column y is empty on rows 4, 9 and 17"). Rows are numbered as in a
 * spreadsheet: the header is row 1, the first data row is row 2.
 */
import { parse } from 'csv-parse/sync';
import { listForMessage } from '../stats/matrix-errors.js';
import { throwIfProblems, type Locator, type Problem } from './problems.js';

/** A parsed CSV file: headers as written, and each data row with its spreadsheet row number. */
export interface CsvTable {
  readonly headers: readonly string[];
  readonly rows: readonly CsvRow[];
}

export interface CsvRow {
  /** Spreadsheet row number (header = 1). */
  readonly line: number;
  /** Cell text by normalized header (see {@link normalizeHeader}), trimmed. */
  readonly cells: ReadonlyMap<string, string>;
}

/** Header matching ignores case, spaces, `_` and `-`: `unit_id`, `unitId` and `Unit ID` are one column. */
export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Parses CSV text with a header row. Empty lines are skipped, cells trimmed, a UTF-8 BOM removed.
 *
 * @throws ValidationError for malformed CSV (unbalanced quotes, a row with the wrong number of
 *   cells), an empty file, or duplicate headers.
 */
export function readCsv(text: string, source: string): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number };
    throwIfProblems(source, [
      { path: e.lines ? `CSV row ${e.lines}` : 'CSV', message: `the file is not valid CSV: ${e.message}` },
    ]);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) {
    throwIfProblems(source, [
      { path: 'CSV', message: 'the file is empty; it needs a header row and data rows' },
    ]);
  }
  const headers = header!.record;
  const names = headers.map(normalizeHeader);
  const duplicates = headers.filter((_, i) => names.indexOf(names[i]!) !== i);
  throwIfProblems(
    source,
    duplicates.length
      ? [
          {
            path: 'CSV header',
            message: `the column${duplicates.length > 1 ? 's' : ''} ${duplicates.join(', ')} appear more than once`,
          },
        ]
      : [],
  );
  return {
    headers,
    rows: data.map(({ record, info }) => ({
      line: info.lines,
      cells: new Map(names.map((name, i) => [name, record[i] ?? ''])),
    })),
  };
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'f']);

/**
 * Typed readers over a {@link CsvTable}. Each reader records its problems (missing column, empty
 * cells, values of the wrong type) grouped by column; {@link CsvColumns.finish} throws them together.
 */
export class CsvColumns {
  private readonly problems: Problem[] = [];
  /** Cells already reported (`<line>|<column>`, or `*|<column>` for a missing column). */
  private readonly reported = new Set<string>();

  constructor(
    readonly table: CsvTable,
    private readonly source: string,
  ) {}

  /** True when the header has this column (normalized match). */
  has(column: string): boolean {
    return this.table.headers.some((h) => normalizeHeader(h) === normalizeHeader(column));
  }

  /** Headers (as written) other than the named ones. */
  otherColumns(known: readonly string[]): string[] {
    const skip = new Set(known.map(normalizeHeader));
    return this.table.headers.filter((h) => !skip.has(normalizeHeader(h)));
  }

  /** Records that the input needs at least one data row. */
  requireRows(minimum = 1): void {
    if (this.table.rows.length < minimum) {
      this.problems.push({
        path: 'CSV',
        message: `the file has ${this.table.rows.length} data row(s); at least ${minimum} are needed`,
      });
    }
  }

  /** Text cells of a column; empty cells are problems unless `optional`. */
  texts(column: string, options: { optional?: boolean } = {}): (string | undefined)[] {
    return this.read(column, options, 'text', (cell) => cell);
  }

  /** Numbers of a column; empty or non-numeric cells are problems (empty allowed when `optional`). */
  numbers(column: string, options: { optional?: boolean } = {}): (number | undefined)[] {
    return this.read(column, options, 'a number', (cell) => {
      const value = Number(cell.replace(/^\+/, ''));
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) && Number.isFinite(value)
        ? value
        : undefined;
    });
  }

  /** Yes/no cells: 1/0, true/false, yes/no (any case). */
  booleans(column: string, options: { optional?: boolean } = {}): (boolean | undefined)[] {
    return this.read(column, options, '1/0, true/false or yes/no', (cell) => {
      const word = cell.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return undefined;
    });
  }

  /** One of the given words (any case); returned in lower case. */
  choices(column: string, allowed: readonly string[]): (string | undefined)[] {
    return this.read(column, {}, allowed.join(' or '), (cell) =>
      allowed.includes(cell.toLowerCase()) ? cell.toLowerCase() : undefined,
    );
  }

  /** Adds a problem found by the caller. */
  addProblem(problem: Problem): void {
    this.problems.push(problem);
  }

  /** Throws every recorded problem as one ValidationError. */
  finish(): void {
    throwIfProblems(this.source, this.problems);
  }

  /** The problems recorded so far. */
  recorded(): Problem[] {
    return [...this.problems];
  }

  /** True when the cell at this spreadsheet row and column was already reported as empty or malformed. */
  wasReported(line: number, column: string): boolean {
    return (
      this.reported.has(`${line}|${normalizeHeader(column)}`) ||
      this.reported.has(`*|${normalizeHeader(column)}`)
    );
  }

  /**
   * A locator for zod paths of the JSON object built from this table: `[arrayKey, i, field]` becomes
   * `CSV row <line of row i>, column <column of field>`, and `[arrayKey]` itself (e.g. too few rows)
   * becomes `CSV`.
   */
  locator(arrayKey: string, fieldColumns: Readonly<Record<string, string>>): Locator {
    return (path) => {
      const [key, index, field] = path;
      if (key === arrayKey && path.length === 1) return 'CSV';
      if (key !== arrayKey || typeof index !== 'number') return undefined;
      const row = this.table.rows[index];
      if (!row) return undefined;
      const column = typeof field === 'string' ? fieldColumns[field] : undefined;
      return column ? `CSV row ${row.line}, column ${column}` : `CSV row ${row.line}`;
    };
  }

  private read<T>(
    column: string,
    options: { optional?: boolean },
    expected: string,
    convert: (cell: string) => T | undefined,
  ): (T | undefined)[] {
    const key = normalizeHeader(column);
    if (!this.has(column)) {
      this.reported.add(`*|${key}`);
      if (!options.optional) {
        this.problems.push({
          path: `CSV column ${column}`,
          message: `the CSV has no column ${column}; its columns are ${this.table.headers.join(', ')}`,
        });
      }
      return this.table.rows.map(() => undefined);
    }
    const empty: number[] = [];
    const bad: { line: number; cell: string }[] = [];
    const values = this.table.rows.map((row) => {
      const cell = row.cells.get(key) ?? '';
      if (cell === '') {
        if (!options.optional) {
          empty.push(row.line);
          this.reported.add(`${row.line}|${key}`);
        }
        return undefined;
      }
      const value = convert(cell);
      if (value === undefined) {
        bad.push({ line: row.line, cell });
        this.reported.add(`${row.line}|${key}`);
      }
      return value;
    });
    if (empty.length > 0) {
      this.problems.push({
        path: `CSV column ${column}`,
        message: `the CSV column ${column} is empty on ${plural('row', empty)} ${listForMessage(empty, 10)}`,
      });
    }
    if (bad.length > 0) {
      const examples = bad
        .slice(0, 3)
        .map((b) => `"${b.cell}"`)
        .join(', ');
      this.problems.push({
        path: `CSV column ${column}`,
        message: `the CSV column ${column} must be ${expected} but is not on ${plural('row', bad)} ${listForMessage(
          bad.map((b) => b.line),
          10,
        )} (${examples})`,
      });
    }
    return values;
  }
}

function plural(word: string, items: readonly unknown[]): string {
  return items.length === 1 ? word : `${word}s`;
}
