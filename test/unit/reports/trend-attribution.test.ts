import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { monthsBetween, trendShift, type MonthlyMean } from '../../../src/reports/trend-attribution.js';
import { StatsInputError } from '../../../src/reports/stats/stats-input-error.js';
import { assertClose, CLOSED_FORM } from './stats/golden.js';

interface Case {
  input: { pre: { time: number[]; y: number[] }; post: { time: number[]; y: number[] }; level: number };
  expected: Record<'estimate' | 'se' | 'lower' | 'upper' | 'df' | 'p' | 'counterfactual' | 'slope', number>;
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/golden/trend-shift/trend-shift.json', import.meta.url), 'utf8'),
) as { cases: Record<string, Case> };

function series(c: Case['input']): MonthlyMean[] {
  const rows = (phase: 'pre' | 'post', p: { time: number[]; y: number[] }) =>
    p.time.map((time, i) => ({ month: `m${time}`, time, phase, mean: p.y[i]!, people: 10 }));
  return [...rows('pre', c.pre), ...rows('post', c.post)];
}

describe('trendShift (trend-line fallback)', () => {
  for (const [name, c] of Object.entries(golden.cases)) {
    it(`matches R's lm projection and its standard error (${name})`, () => {
      const r = trendShift(series(c.input), c.input.level);
      for (const key of ['estimate', 'se', 'lower', 'upper', 'p', 'counterfactual', 'slope'] as const)
        assertClose(r[key], c.expected[key], CLOSED_FORM, key);
      assert.equal(r.df, c.expected.df);
    });
  }

  it('refuses a pre window with fewer than 3 months and a post window without data', () => {
    const c = golden.cases.falling!.input;
    const s = series(c);
    assert.throws(
      () => trendShift(s.filter((x) => x.phase === 'post' || x.time < 2)),
      (e: unknown) => e instanceof StatsInputError && /at least 3/.test(e.message),
    );
    assert.throws(
      () => trendShift(s.filter((x) => x.phase === 'pre')),
      (e: unknown) => e instanceof StatsInputError && /no month with data/.test(e.message),
    );
  });
});

describe('monthsBetween', () => {
  it('lists each month overlapping a window, clipped to it', () => {
    assert.deepEqual(monthsBetween('2026-01-15', '2026-03-10'), [
      { month: '2026-01-01', from: '2026-01-15', to: '2026-01-31' },
      { month: '2026-02-01', from: '2026-02-01', to: '2026-02-28' },
      { month: '2026-03-01', from: '2026-03-01', to: '2026-03-10' },
    ]);
    assert.equal(monthsBetween('2025-11-01', '2026-02-28').length, 4);
  });
});
