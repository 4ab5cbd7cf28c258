import assert from 'node:assert/strict';
import { itemFlags } from '../../../../src/reports/kpi/item-flags.js';

describe('item flags', () => {
  it('flags a question more than 90% of learners answer correctly as too easy, with the share in words', () => {
    const flags = itemFlags({ difficulty: 0.95, pointBiserial: 0.3 });
    assert.deepEqual(
      flags.map((f) => f.kind),
      ['too-easy'],
    );
    assert.match(flags[0]!.reason, /^Too easy: 95% answered correctly/);
  });

  it('flags a question fewer than 30% answer correctly as too hard', () => {
    assert.deepEqual(
      itemFlags({ difficulty: 0.25, pointBiserial: 0.4 }).map((f) => f.kind),
      ['too-hard'],
    );
  });

  it('flags weak discrimination below 0.2, also a negative one, and gives the value', () => {
    const flags = itemFlags({ difficulty: 0.6, pointBiserial: -0.05 });
    assert.deepEqual(
      flags.map((f) => f.kind),
      ['weak-discrimination'],
    );
    assert.match(flags[0]!.reason, /\(-0\.05, below 0\.2\)/);
  });

  it('leaves the boundaries and a question without variance in discrimination unflagged', () => {
    assert.deepEqual(itemFlags({ difficulty: 0.9, pointBiserial: 0.2 }), []);
    assert.deepEqual(itemFlags({ difficulty: 0.3, pointBiserial: null }), []);
  });
});
