/**
 * The contract every analyze method follows, the output envelope, and the pipeline that reads a
 * JSON or CSV input, validates it (every problem at once), runs the calculator and wraps its answer.
 */
import type { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { CsvColumns, readCsv } from './csv-table.js';
import {
  fromCalculatorError,
  problemsFromZod,
  throwIfProblems,
  type Locator,
  type Problem,
} from './problems.js';

export type InputFormat = 'json' | 'csv';

/** What every `yardstick analyze <method> --json` prints. */
export interface AnalyzeOutput<R = unknown> {
  /** The method id, e.g. `randomized`. */
  method: string;
  /** Human name of the estimator, e.g. `Welch two-sample t interval`. */
  methodName: string;
  input: { source: string; format: InputFormat; summary: Record<string, unknown> };
  result: R;
  assumptions: string[];
  warnings: string[];
  /** The R function whose answer this reproduces. */
  reference: string;
}

/** What a method's `run` returns; the pipeline adds the method's identity and the input's origin. */
export interface MethodReport<R = unknown> {
  /** Overrides the method's default name when the input picks a variant (e.g. pooled vs Welch). */
  methodName?: string;
  reference?: string;
  summary: Record<string, unknown>;
  result: R;
  assumptions: string[];
  warnings: string[];
}

/** A command-line option of a method; its value is stored under `key` in the input object. */
export interface MethodOption {
  /** Commander flags, e.g. `--confidence <level>` or `--pooled`. */
  flags: string;
  description: string;
  key: string;
  type: 'number' | 'boolean' | 'string' | 'numbers' | 'strings';
  /** Only for CSV input: passed to `fromCsv` instead of being merged into the JSON object. */
  csvOnly?: boolean;
}

/** A CSV file turned into the method's JSON object form, plus where each row came from. */
export interface CsvConversion {
  value: Record<string, unknown>;
  locate: Locator;
}

/** One estimator reachable as `yardstick analyze <id>`. */
export interface AnalyzeMethod<I = unknown, R = unknown> {
  id: string;
  methodName: string;
  /** One line for `yardstick analyze --help`. */
  summary: string;
  reference: string;
  formats: readonly InputFormat[];
  options: readonly MethodOption[];
  /** Validates the JSON object form (settings and data together). */
  schema: z.ZodType<I>;
  /**
   * Reads the CSV form; required when `formats` includes `csv`. Records problems in `columns`.
   * `settings` are all command-line settings (including `csvOnly` ones such as a column name).
   */
  fromCsv?: (columns: CsvColumns, settings: Readonly<Record<string, unknown>>) => CsvConversion;
  run: (input: I) => MethodReport<R>;
  /** Calculator argument names mapped to the input's field names, for the calculator's own errors. */
  argumentPaths?: Readonly<Record<string, string>>;
  /** Readable lines of the result, for the terminal. */
  human: (output: AnalyzeOutput<R>) => string[];
  example: {
    json: Record<string, unknown>;
    csv?: string;
    /** Options the CSV example needs on the command line (settings that CSV cannot carry). */
    csvArgs?: readonly string[];
  };
}

/** The input as read from a file or stdin. */
export interface RawInput {
  text: string;
  format: InputFormat;
  /** File name or `stdin`, used in messages and in the output. */
  source: string;
}

/**
 * Runs one method on one input. `settings` are values from command-line options (already keyed as in
 * the JSON form); they override the same fields of a JSON input and complete a CSV input.
 *
 * @throws ValidationError listing every problem of the input, or the calculator's objection.
 */
export function analyze<I, R>(
  method: AnalyzeMethod<I, R>,
  raw: RawInput,
  settings: Record<string, unknown> = {},
): AnalyzeOutput<R> {
  if (!method.formats.includes(raw.format)) {
    throw new ValidationError(
      `${method.id} reads ${method.formats.map((f) => f.toUpperCase()).join(' or ')} input, not ${raw.format.toUpperCase()}; see 'yardstick analyze ${method.id} --example'`,
      [{ path: 'input', message: `unsupported format ${raw.format}` }],
    );
  }
  const allSettings = definedOnly(settings);
  const csvOnly = new Set(method.options.filter((o) => o.csvOnly).map((o) => o.key));
  const jsonSettings = Object.fromEntries(Object.entries(allSettings).filter(([k]) => !csvOnly.has(k)));
  const read = raw.format === 'json' ? readJson(raw) : readCsvInput(method, raw, allSettings);
  const parsed = method.schema.safeParse({ ...read.value, ...jsonSettings });
  if (!parsed.success || read.problems.length > 0) {
    const flags = new Map(method.options.map((o) => [o.key, o.flags.split(/[ ,]/)[0]!]));
    const locate: Locator = (path) =>
      path.length === 1 && typeof path[0] === 'string' && jsonSettings[path[0]] !== undefined
        ? `option ${flags.get(path[0]) ?? path[0]}`
        : read.locate(path);
    const issues = (parsed.error?.issues ?? []).filter((issue) => {
      const where = locate(issue.path);
      return where === undefined || !read.alreadyReported(where);
    });
    throwIfProblems(raw.source, [...read.problems, ...problemsFromZod(issues, locate)]);
  }
  let report: MethodReport<R>;
  try {
    report = method.run(parsed.data!);
  } catch (error) {
    fromCalculatorError(error, method.argumentPaths);
  }
  return {
    method: method.id,
    methodName: report.methodName ?? method.methodName,
    input: { source: raw.source, format: raw.format, summary: report.summary },
    result: report.result,
    assumptions: report.assumptions,
    warnings: report.warnings,
    reference: report.reference ?? method.reference,
  };
}

/** An input read into the JSON object form, with the problems found while reading it. */
interface ReadInput extends CsvConversion {
  problems: Problem[];
  /** True when a located schema issue repeats a problem already found (e.g. an empty CSV cell). */
  alreadyReported: (where: string) => boolean;
}

function readJson(raw: RawInput): ReadInput {
  return { value: parseJsonObject(raw), locate: () => undefined, problems: [], alreadyReported: () => false };
}

function readCsvInput<I, R>(
  method: AnalyzeMethod<I, R>,
  raw: RawInput,
  settings: Record<string, unknown>,
): ReadInput {
  const columns = new CsvColumns(readCsv(raw.text, raw.source), raw.source);
  const converted = method.fromCsv!(columns, settings);
  const problems = columns.recorded();
  const rowCountReported = problems.some((p) => p.path === 'CSV');
  return {
    ...converted,
    problems,
    alreadyReported: (where) => {
      if (where === 'CSV') return rowCountReported;
      const cell = /^CSV row (\d+), column (.+)$/.exec(where);
      return cell !== null && columns.wasReported(Number(cell[1]), cell[2]!);
    },
  };
}

/** Picks the input format: an explicit choice, else the file extension, else a look at the text. */
export function detectFormat(source: string, text: string, explicit?: string): InputFormat {
  if (explicit !== undefined) {
    const format = explicit.toLowerCase();
    if (format !== 'json' && format !== 'csv') {
      throw new ValidationError(`--format must be json or csv, got "${explicit}"`, [
        { path: 'option --format', message: `unknown format ${explicit}` },
      ]);
    }
    return format;
  }
  const lower = source.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return /^\s*[{[]/.test(text) ? 'json' : 'csv';
}

function parseJsonObject(raw: RawInput): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (error) {
    throw new ValidationError(`${raw.source} is not valid JSON: ${(error as Error).message}`, [
      { path: 'input', message: (error as Error).message },
    ]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      `${raw.source} must hold one JSON object (see 'yardstick analyze <method> --example'), not ${Array.isArray(value) ? 'an array' : typeof value}`,
      [{ path: '(top level)', message: 'expected an object' }],
    );
  }
  return value as Record<string, unknown>;
}

function definedOnly(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/**
 * The value of a command-line option in the type of the JSON form: numbers stay NaN when unparsable
 * (the schema then names the option), lists split on commas.
 */
export function settingFromText(option: MethodOption, raw: string | boolean): unknown {
  const list = () =>
    String(raw)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  switch (option.type) {
    case 'number':
      return Number(raw);
    case 'numbers':
      return list().map(Number);
    case 'strings':
      return list();
    default:
      return raw;
  }
}
