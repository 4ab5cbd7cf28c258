/**
 * Problems found in an analysis input, collected so that one run reports every one of them (with its
 * JSON path, or CSV row and column) instead of stopping at the first.
 */
import type { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../../errors.js';
import { AttributionInputError, listForMessage } from '../stats/matrix-errors.js';
import { StatsInputError } from '../stats/stats-input-error.js';

/** One problem: where (a JSON path such as `rows[3].y`, or `CSV column y`) and what is wrong. */
export type Problem = ErrorDetail;

/** Maps a zod path to a location in the user's file, e.g. `CSV row 5, column y`; undefined to keep the path. */
export type Locator = (path: readonly PropertyKey[]) => string | undefined;

/** Formats a zod path the way a person writes it in JavaScript: `rows[3].y`; the empty path is `(top level)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(top level)' : text;
}

/**
 * Turns zod issues into problems. Issues that the locator places in a CSV column and share a message
 * are merged into one problem naming all their rows ("column trials on rows 4, 9 and 17: ...").
 */
export function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  locate: Locator = () => undefined,
): Problem[] {
  const problems: Problem[] = [];
  const byColumn = new Map<string, { column: string; message: string; rows: number[] }>();
  for (const issue of issues) {
    const message = describeIssue(issue);
    const where = locate(issue.path);
    const cell = where === undefined ? null : /^CSV row (\d+), column (.+)$/.exec(where);
    if (cell) {
      const key = `${cell[2]}\u0000${message}`;
      const group = byColumn.get(key) ?? { column: cell[2]!, message, rows: [] };
      group.rows.push(Number(cell[1]));
      byColumn.set(key, group);
      continue;
    }
    problems.push({ path: where ?? formatPath(issue.path), message });
  }
  for (const group of byColumn.values()) {
    const rows = group.rows.length === 1 ? `row ${group.rows[0]}` : `rows ${listForMessage(group.rows, 10)}`;
    problems.push({ path: `CSV column ${group.column}`, message: `${group.message} on ${rows}` });
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the documented input`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/**
 * Throws one ValidationError listing every problem (its message repeats them, because the command line
 * prints only the message), or returns when there are none.
 */
export function throwIfProblems(source: string, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  const lines = problems.map(
    (p) => `  - ${p.path && !p.message.startsWith('the CSV') ? `${p.path}: ` : ''}${p.message}`,
  );
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  throw new ValidationError(`${source} has ${count}; fix and rerun:\n${lines.join('\n')}`, [...problems]);
}

/**
 * Converts a calculator's input error (StatsInputError, AttributionInputError) into a ValidationError
 * with the same message; anything else is rethrown untouched.
 *
 * @param argumentPaths maps a calculator argument name (e.g. `x`) to the user's field (e.g. `treatment`).
 */
export function fromCalculatorError(
  error: unknown,
  argumentPaths: Readonly<Record<string, string>> = {},
): never {
  if (error instanceof StatsInputError) {
    const path = argumentPaths[error.argument] ?? error.argument;
    throw new ValidationError(`${path}: ${error.message}`, [{ path, message: error.message }]);
  }
  if (error instanceof AttributionInputError) {
    throw new ValidationError(error.message, [{ message: error.message }]);
  }
  throw error;
}
