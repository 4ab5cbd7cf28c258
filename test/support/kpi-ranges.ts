import assert from 'node:assert/strict';

const DAY_MS = 86_400_000;

/**
 * Covers every fact but starts 1 ms past midnight, so the day-keyed KPI rollups cannot answer it and
 * the repository reads the facts: the reference a rollup's answer is compared with.
 */
export const FACTS_EVERYTHING = { from: new Date('2000-01-01T00:00:00.001Z'), to: new Date('2100-01-01') };

/**
 * A range of whole UTC days in the middle third of the statements' timestamps, starting on a day other
 * than Monday (so it cuts a week), as the report pages' date filters give it and the day-keyed rollups
 * answer it; and the same range for the facts path, ending 1 ms early (checked: no statement in that
 * last millisecond).
 */
export function middleDays(statements: readonly { timestamp: string }[]): {
  days: { from: Date; to: Date };
  facts: { from: Date; to: Date };
} {
  const times = statements.map((s) => Date.parse(s.timestamp));
  const first = Math.floor(Math.min(...times) / DAY_MS) * DAY_MS;
  const last = Math.floor(Math.max(...times) / DAY_MS) * DAY_MS;
  const third = Math.max(1, Math.floor((last - first) / DAY_MS / 3));
  let from = new Date(first + third * DAY_MS);
  if (from.getUTCDay() === 1) from = new Date(from.getTime() + DAY_MS);
  const to = new Date(from.getTime() + third * DAY_MS);
  assert.ok(!times.some((t) => t === to.getTime() - 1), 'no statement in the last millisecond');
  return { days: { from, to }, facts: { from, to: new Date(to.getTime() - 1) } };
}
