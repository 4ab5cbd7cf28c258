import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { nearestNeighborMatch } from '../../../../src/reports/stats/matching.js';
import { AttributionInputError } from '../../../../src/reports/stats/matrix-errors.js';
import { readGolden } from '../../../fixtures/golden/attribution/golden.js';

interface PsmInput {
  rows: { id: string; treat: number }[];
}
interface PsmExpected {
  distance: number[];
  caliperWidth: number | null;
  pairs: { treatedId: string; controlId: string }[];
  treatedUnmatched: number;
  controlsUnmatched: number;
}

describe('nearest-neighbour matching against MatchIt pairs', () => {
  for (const name of ['psm-nearest', 'psm-caliper', 'psm-ties']) {
    it(`reproduces every pair of ${name}`, () => {
      const { input, expected } = readGolden<PsmInput, PsmExpected>(name);
      const treated = input.rows.map((r) => r.treat === 1);
      const result = nearestNeighborMatch(expected.distance, treated, {
        ...(expected.caliperWidth !== null ? { caliperWidth: expected.caliperWidth } : {}),
      });
      const ids = input.rows.map((r) => r.id);
      const got = result.pairs.map((p) => `${ids[p.treatedIndex]}->${ids[p.controlIndex]}`).sort();
      const want = expected.pairs.map((p) => `${p.treatedId}->${p.controlId}`).sort();
      assert.deepEqual(got, want);
      assert.equal(result.unmatchedTreated.length, expected.treatedUnmatched);
      assert.equal(result.unmatchedControls.length, expected.controlsUnmatched);
    });
  }
});

describe('nearest-neighbour matching rules', () => {
  it('takes the closer neighbour, above or below', () => {
    const r = nearestNeighborMatch([0.5, 0.1, 0.55], [true, false, false]);
    assert.deepEqual(
      r.pairs.map((p) => p.controlIndex),
      [2],
    );
  });

  it('lets the largest score choose first, so a later treated unit gets the next-best control', () => {
    // Treated 0.60 chooses first and takes 0.58; treated 0.57 is left with 0.50.
    const r = nearestNeighborMatch([0.57, 0.6, 0.58, 0.5], [true, true, false, false]);
    assert.deepEqual(
      r.pairs.map((p) => [p.treatedIndex, p.controlIndex]),
      [
        [1, 2],
        [0, 3],
      ],
    );
    const smallest = nearestNeighborMatch([0.57, 0.6, 0.58, 0.5], [true, true, false, false], {
      order: 'smallest',
    });
    assert.deepEqual(
      smallest.pairs.map((p) => [p.treatedIndex, p.controlIndex]),
      [
        [0, 2],
        [1, 3],
      ],
    );
  });

  it('breaks an exact tie in favour of the neighbour below, and equal scores by input order', () => {
    const r = nearestNeighborMatch([0.5, 0.25, 0.75], [true, false, false]);
    assert.equal(r.pairs[0]!.controlIndex, 1);
    // Same scores everywhere: units sort by input order, so the treated row 2 sits between 1 and 3.
    const same = nearestNeighborMatch([0.2, 0.2, 0.2, 0.2], [false, true, false, false]);
    assert.equal(same.pairs[0]!.controlIndex, 0);
  });

  it('leaves a treated unit unmatched when no control is within the caliper', () => {
    const r = nearestNeighborMatch([0.9, 0.2, 0.25, 0.85], [true, true, false, false], { caliperWidth: 0.1 });
    assert.deepEqual(
      r.pairs.map((p) => [p.treatedIndex, p.controlIndex]),
      [
        [0, 3],
        [1, 2],
      ],
    );
    const tight = nearestNeighborMatch([0.9, 0.2, 0.25, 0.7], [true, true, false, false], {
      caliperWidth: 0.1,
    });
    assert.deepEqual(tight.unmatchedTreated, [0]);
    assert.deepEqual(tight.unmatchedControls, [3]);
  });

  it('stops matching when the controls run out', () => {
    const r = nearestNeighborMatch([0.9, 0.8, 0.7, 0.1], [true, true, true, false]);
    assert.equal(r.pairs.length, 1);
    assert.deepEqual(r.unmatchedTreated, [1, 2]);
  });

  it('refuses non-finite scores and a single group', () => {
    assert.throws(() => nearestNeighborMatch([0.1, Number.NaN], [true, false]), AttributionInputError);
    assert.throws(() => nearestNeighborMatch([0.1, 0.2], [true, true]), /all 2 units are treated/);
    assert.throws(() => nearestNeighborMatch([0.1, 0.2], [true, false], { caliperWidth: 0 }), /caliper/);
  });
});
