import assert from 'node:assert/strict';
import {
  analyzeChoiceItems,
  itemStatistics,
  upperLowerGroups,
  type ChoiceItem,
} from '../../../../src/reports/stats/item-analysis.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Golden {
  options: string[];
  keys: string[];
  answers: (string | null)[][];
  scored: number[][];
  upper: number[];
  lower: number[];
  items: {
    difficulty: number;
    correctedPointBiserial: number | null;
    upperLowerIndex: number;
    options: { option: string; count: number; upperCount: number; lowerCount: number }[];
    omitted: number;
  }[];
}

describe('item analysis', () => {
  const g = readGolden<Golden>('item-analysis');
  const items: ChoiceItem[] = g.keys.map((key, j) => ({ id: `q${j + 1}`, key, options: g.options }));

  it('picks the same upper and lower 27% groups as R order()', () => {
    const totals = g.scored.map((row) => row.reduce((s, v) => s + v, 0));
    const { upper, lower } = upperLowerGroups(totals);
    assert.deepEqual(upper, g.upper);
    assert.deepEqual(lower, g.lower);
  });

  it('matches difficulty, corrected point-biserial and upper-lower index computed in R', () => {
    itemStatistics(g.scored).forEach((s, j) => {
      const e = g.items[j]!;
      assertClose(s.difficulty, e.difficulty, CLOSED_FORM, `difficulty q${j + 1}`);
      assertClose(s.correctedPointBiserial, e.correctedPointBiserial, CLOSED_FORM, `r q${j + 1}`);
      assertClose(s.upperLowerIndex, e.upperLowerIndex, CLOSED_FORM, `D q${j + 1}`);
    });
  });

  it('counts distractor choices overall and in each group, and omissions', () => {
    const analysis = analyzeChoiceItems(items, g.answers);
    analysis.forEach((item, j) => {
      const e = g.items[j]!;
      assert.equal(item.omitted, e.omitted);
      assert.deepEqual(
        item.options.map((o) => [o.option, o.count, o.upperCount, o.lowerCount]),
        e.options.map((o) => [o.option, o.count, o.upperCount, o.lowerCount]),
      );
      assert.equal(item.options.filter((o) => o.isKey).length, 1);
      assertClose(item.difficulty, e.difficulty, CLOSED_FORM, 'difficulty');
    });
  });

  it('reports no point-biserial for an item everyone answered correctly', () => {
    const stats = itemStatistics([
      [1, 1, 0],
      [1, 0, 0],
      [1, 1, 1],
    ]);
    assert.equal(stats[0]!.correctedPointBiserial, null);
    assert.equal(stats[0]!.difficulty, 1);
  });

  it('rejects non-binary scores, ragged rows and unknown options', () => {
    assert.throws(() => itemStatistics([[1], [2]]), /must be 0 or 1/);
    assert.throws(() => itemStatistics([[1, 0], [1]]), StatsInputError);
    assert.throws(() => itemStatistics([[1]]), /at least 2 learners/);
    assert.throws(
      () => analyzeChoiceItems([{ id: 'q1', key: 'A', options: ['A', 'B'] }], [['A'], ['E']]),
      /not an option of item q1/,
    );
  });
});
