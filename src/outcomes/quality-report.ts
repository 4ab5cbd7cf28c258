import { describeProblem, type Problem } from './fields.js';
import type { ColumnMapping } from './column-mapping.js';
import type { OutcomeKind } from './kinds/index.js';
import type { ValidatedRow } from './row-validation.js';

/** How many row numbers a report lists per problem before saying "and N more". */
export const ROWS_LISTED = 10;

export interface RowProblemSummary {
  field: string;
  header: string | null;
  problem: Problem;
  count: number;
  /** The first ROWS_LISTED row numbers. */
  rows: number[];
  message: string;
}

export interface NullRate {
  field: string;
  header: string | null;
  nulls: number;
  rate: number;
  threshold: number;
  exceeded: boolean;
}

/** What SQL found once every row was staged. */
export interface StagedFacts {
  duplicateKeys: { count: number; rows: number; examples: { key: string; rows: number[] }[] };
  unmatched: { count: number; rows: number; examples: string[] };
  existing: { keys: number; identical: number; otherPerson: number };
  identicalTo: { importId: string; acceptedAt: string } | null;
}

export interface QualityReport {
  kind: string;
  rows: { total: number; valid: number; invalid: number };
  columns: { mapped: Record<string, string>; ignored: string[] };
  rowProblems: RowProblemSummary[];
  outOfRange: { field: string; count: number }[];
  nullRates: NullRate[];
  duplicateKeys: StagedFacts['duplicateKeys'];
  unmatchedEmployeeIds: StagedFacts['unmatched'];
  existing: StagedFacts['existing'];
  identicalTo: StagedFacts['identicalTo'];
  /** Problems that stop acceptance. */
  blocking: QualityIssue[];
  warnings: QualityIssue[];
  acceptable: boolean;
}

export type QualityCheck =
  'rows' | 'empty' | 'null_rate' | 'duplicates' | 'unmatched' | 'ignored_columns' | 'existing' | 'same_file';

/** One finding of the report, as a sentence in the user's terms. */
export interface QualityIssue {
  check: QualityCheck;
  message: string;
}

export interface QualityOptions {
  /** field -> highest acceptable share (0..1) of empty cells; overrides the kind's defaults. */
  nullRateThresholds?: Record<string, number>;
  /** Create people for unknown employee ids at acceptance instead of blocking. */
  createMissingPeople?: boolean;
}

/**
 * Accumulates row-level results while a file streams through: counts and the first few row numbers
 * per (field, problem), and blank cells per field. Memory is bounded by the number of fields, not rows.
 */
export class RowTally {
  total = 0;
  invalid = 0;
  private readonly problems = new Map<
    string,
    { field: string; problem: Problem; count: number; rows: number[] }
  >();
  private readonly blanks = new Map<string, number>();

  add(row: ValidatedRow): void {
    this.total++;
    if (row.errors.length) this.invalid++;
    for (const e of row.errors) {
      const key = `${e.field}\u0000${e.problem}`;
      const entry = this.problems.get(key) ?? { field: e.field, problem: e.problem, count: 0, rows: [] };
      entry.count++;
      if (entry.rows.length < ROWS_LISTED) entry.rows.push(row.rowNumber);
      this.problems.set(key, entry);
    }
    for (const f of row.blank) this.blanks.set(f, (this.blanks.get(f) ?? 0) + 1);
  }

  problemEntries() {
    return [...this.problems.values()];
  }

  blankCount(field: string): number {
    return this.blanks.get(field) ?? 0;
  }
}

/** "4", "4 and 9", "4, 9 and 17", "4, 9, 17 and 12 more". */
export function listRows(rows: number[], total: number): string {
  const more = total - rows.length;
  if (more > 0) return `${rows.join(', ')} and ${more} more`;
  if (rows.length === 1) return String(rows[0]);
  return `${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;
}

/**
 * Builds the data-quality report from the tally and the staged facts. Blocking: any invalid row, a
 * null rate above its threshold, duplicate natural keys within the file, and unknown employee ids
 * (unless people are to be created). Keys already stored and an identical earlier file are warnings:
 * accepting updates or leaves those rows as they are.
 */
export function buildQualityReport(
  kind: OutcomeKind,
  mapping: ColumnMapping,
  tally: RowTally,
  facts: StagedFacts,
  options: QualityOptions = {},
): QualityReport {
  const headerOf = new Map(mapping.columns.map((c) => [c.field.name, c.header]));
  const rowProblems = tally.problemEntries().map((p): RowProblemSummary => {
    const header = headerOf.get(p.field) ?? null;
    const field = kind.fields.find((f) => f.name === p.field);
    const subject =
      p.field === '*'
        ? 'the row'
        : `the column ${header && header !== p.field ? `"${header}" (${p.field})` : p.field}`;
    const rowWord = p.count === 1 ? 'row' : 'rows';
    return {
      ...p,
      header,
      message: `${subject} ${describeProblem(p.problem, field)} on ${rowWord} ${listRows(p.rows, p.count)}`,
    };
  });
  const checkedRows = tally.total - (tally.problemEntries().find((p) => p.field === '*')?.count ?? 0);
  const nullRates = kind.fields
    .filter((f) => !f.required)
    .map((f): NullRate => {
      const nulls = tally.blankCount(f.name);
      const rate = checkedRows > 0 ? nulls / checkedRows : 0;
      const threshold = options.nullRateThresholds?.[f.name] ?? f.maxNullRate ?? 1;
      return {
        field: f.name,
        header: headerOf.get(f.name) ?? null,
        nulls,
        rate,
        threshold,
        exceeded: rate > threshold,
      };
    });
  const outOfRange = rowProblems
    .filter((p) => p.problem === 'out_of_range' || p.problem === 'in_future')
    .map((p) => ({ field: p.field, count: p.count }));

  const blocking: QualityIssue[] = rowProblems.map((p) => ({ check: 'rows', message: p.message }));
  if (tally.total === 0) blocking.push({ check: 'empty', message: 'the file has no data rows' });
  for (const n of nullRates.filter((r) => r.exceeded))
    blocking.push({
      check: 'null_rate',
      message: `the column ${n.field} is empty in ${pct(n.rate)} of rows, above the ${pct(n.threshold)} threshold${n.header ? '' : ' (no column is mapped to it)'}`,
    });
  if (facts.duplicateKeys.count > 0)
    blocking.push({
      check: 'duplicates',
      message: `${facts.duplicateKeys.count} ${kind.keyFields.join(' + ')} ${facts.duplicateKeys.count === 1 ? 'key appears' : 'keys appear'} more than once in the file (${facts.duplicateKeys.examples
        .map((e) => `${e.key} on rows ${listRows(e.rows, e.rows.length)}`)
        .join('; ')}); keep one row per key`,
    });
  const warnings: QualityIssue[] = [];
  if (facts.unmatched.count > 0) {
    const text = `${facts.unmatched.count} employee ${facts.unmatched.count === 1 ? 'id matches' : 'ids match'} no person (${facts.unmatched.rows} ${facts.unmatched.rows === 1 ? 'row' : 'rows'}; e.g. ${facts.unmatched.examples.join(', ')})`;
    if (options.createMissingPeople)
      warnings.push({ check: 'unmatched', message: `${text}; accepting creates a person for each` });
    else
      blocking.push({
        check: 'unmatched',
        message: `${text}; import the employee-id mapping first ('yardstick people import') or allow creating people`,
      });
  }
  if (mapping.ignored.length)
    warnings.push({
      check: 'ignored_columns',
      message: `these columns are not imported: ${mapping.ignored.join(', ')}`,
    });
  if (facts.existing.keys > 0)
    warnings.push({
      check: 'existing',
      message: `${facts.existing.keys} rows are already stored (${facts.existing.identical} identical, left as they are; ${facts.existing.keys - facts.existing.identical} will be updated)`,
    });
  if (facts.existing.otherPerson > 0)
    warnings.push({
      check: 'existing',
      message: `${facts.existing.otherPerson} ${kind.keyFields.join(' + ')} ${facts.existing.otherPerson === 1 ? 'key is' : 'keys are'} stored for another employee; accepting moves ${facts.existing.otherPerson === 1 ? 'it' : 'them'} to the employee in this file`,
    });
  if (facts.identicalTo)
    warnings.push({
      check: 'same_file',
      message: `this exact file was accepted before (import ${facts.identicalTo.importId} at ${facts.identicalTo.acceptedAt}); accepting again adds nothing`,
    });
  return {
    kind: kind.name,
    rows: { total: tally.total, valid: tally.total - tally.invalid, invalid: tally.invalid },
    columns: { mapped: mapping.applied, ignored: mapping.ignored },
    rowProblems,
    outOfRange,
    nullRates,
    duplicateKeys: facts.duplicateKeys,
    unmatchedEmployeeIds: facts.unmatched,
    existing: facts.existing,
    identicalTo: facts.identicalTo,
    blocking,
    warnings,
    acceptable: blocking.length === 0 && tally.total > 0,
  };
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
