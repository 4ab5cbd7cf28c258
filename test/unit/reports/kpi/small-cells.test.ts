import assert from 'node:assert/strict';
import {
  differencingRisk,
  upperLowerGroupSize,
  withheldChoices,
  withholdSmallGroups,
  withholdSmallWeeks,
} from '../../../../src/reports/kpi/small-cells.js';
import { learnerRate } from '../../../../src/reports/kpi/rates.js';
import type { GroupKpi } from '../../../../src/reports/kpi/kpi-report-service.js';

const group = (cohortId: string, assigned: number): GroupKpi => ({
  cohortId,
  name: cohortId,
  arm: 'treatment',
  assigned,
  modules: [
    {
      moduleId: 'm',
      completion: learnerRate(5, 10, 5),
      mastery: { status: 'empty', successes: 0, trials: 0 },
      scores: {
        pairs: 0,
        prePercentMean: null,
        postPercentMean: null,
        paired: null,
        pairedNote: null,
        gain: null,
        suppressed: false,
      },
    },
  ],
});
const noFacts = { assignedWithoutCohort: null, activeBeforeFrom: null, activeFromTo: null };

describe('Small-cell rule at every level (issue #18)', () => {
  it('sizes the upper and lower 27% groups as the item analysis SQL does', () => {
    assert.deepEqual([1, 4, 5, 10, 16, 17, 100].map(upperLowerGroupSize), [1, 1, 1, 3, 4, 5, 27]);
  });

  it('withholds a week with fewer active learners than the minimum and zeroes its counts', () => {
    const weeks = withholdSmallWeeks(
      [
        { week: '2026-01-05', started: 6, completed: 2, active: 9 },
        { week: '2026-01-12', started: 1, completed: 0, active: 1 },
        { week: '2026-01-19', started: 0, completed: 0, active: 0 },
      ],
      5,
    );
    assert.deepEqual(weeks[1], { week: '2026-01-12', started: 0, completed: 0, active: 0, suppressed: true });
    assert.equal(weeks[0]!.suppressed, undefined);
    assert.equal(weeks[2]!.suppressed, undefined);
  });

  it('withholds a small cohort, and the next smallest when the report minus the rest would show it', () => {
    // 30 assigned: 20 + 8 + 2. The 2 are withheld; 30 - 20 - 8 would give them back, so 8 goes too.
    const out = withholdSmallGroups([group('a', 20), group('b', 8), group('c', 2)], 30, 5);
    assert.deepEqual(
      out.map((g) => [g.cohortId, g.sizeSuppressed ?? false, g.modules[0]!.completion.status]),
      [
        ['a', false, 'shown'],
        ['b', true, 'suppressed'],
        ['c', true, 'suppressed'],
      ],
    );
  });

  it('withholds cohorts when what the report assigns beyond them is a small group', () => {
    // 23 assigned, cohorts of 11 and 10: 2 learners are in neither, readable by subtraction.
    const out = withholdSmallGroups([group('a', 11), group('b', 10)], 23, 5);
    assert.deepEqual(
      out.map((g) => g.sizeSuppressed ?? false),
      [false, true],
    );
    const safe = withholdSmallGroups([group('a', 11), group('b', 10)], 21, 5);
    assert.ok(safe.every((g) => !g.sizeSuppressed));
  });

  it('withholds answer choices chosen by few learners and enough others that they cannot be subtracted', () => {
    const counts = [
      { option: 'a', count: 8 },
      { option: 'b', count: 5 },
      { option: 'c', count: 1 },
      { option: null, count: 0 },
    ];
    assert.deepEqual([...withheldChoices(14, counts, 5)].sort(), ['b', 'c']);
    assert.deepEqual([...withheldChoices(14, [{ option: 'a', count: 14 }], 5)], []);
  });

  it('names the request that would expose a small group by subtraction', () => {
    assert.equal(differencingRisk(30, noFacts, 5), null);
    assert.match(differencingRisk(30, { ...noFacts, assignedWithoutCohort: 31 }, 5)!, /minus this cohort/);
    assert.equal(differencingRisk(30, { ...noFacts, assignedWithoutCohort: 40 }, 5), null);
    assert.match(differencingRisk(30, { ...noFacts, activeFromTo: 1 }, 5)!, /ending a day later/);
    assert.match(differencingRisk(30, { ...noFacts, activeBeforeFrom: 4 }, 5)!, /starting a day earlier/);
    assert.equal(differencingRisk(30, { ...noFacts, activeBeforeFrom: 5, activeFromTo: 12 }, 5), null);
  });
});
