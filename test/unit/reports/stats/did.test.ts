import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { estimateDifferenceInDifferences, type DidRow } from '../../../../src/reports/stats/did.js';
import { AttributionInputError } from '../../../../src/reports/stats/matrix-errors.js';
import { assertAllClose, assertClose, readGolden } from '../../../fixtures/golden/attribution/golden.js';

interface Inference {
  se: number;
  df: number;
  t: number;
  p: number;
  ciLower: number;
  ciUpper: number;
}
interface DidExpected {
  estimate: number;
  coefficients: number[];
  means: Record<string, number>;
  counts: Record<string, number>;
  clustersTreated: number;
  clustersControl: number;
  clusters: number;
  cr1: Inference;
  cr2: Inference & { dfAll: number[] };
  panel?: { units: number; unitsBothPeriods: number; unitsPreOnly: number; unitsPostOnly: number };
}

function assertInference(actual: Inference, expected: Inference, tolerance: number, label: string): void {
  for (const key of ['se', 'df', 't', 'p', 'ciLower', 'ciUpper'] as const) {
    assertClose(actual[key], expected[key], tolerance, `${label} ${key}`);
  }
}

for (const name of ['did-8-clusters', 'did-40-clusters', 'did-unbalanced-panel']) {
  const golden = readGolden<{ rows: DidRow[] }, DidExpected>(name);
  const expected = golden.expected;

  describe(`difference-in-differences against R: ${name}`, () => {
    const result = estimateDifferenceInDifferences(golden.input.rows);

    it('matches the lm() interaction coefficient and the 2x2 table of means', () => {
      assertClose(result.estimate, expected.estimate, 1e-8, 'estimate');
      for (const [cell, mean] of Object.entries(expected.means)) {
        assertClose(result.means[cell as keyof typeof result.means], mean, 1e-8, cell);
        assert.equal(result.counts[cell as keyof typeof result.counts], expected.counts[cell]);
      }
      const m = result.means;
      assertClose(
        m.treatedPost - m.treatedPre - (m.controlPost - m.controlPre),
        expected.estimate,
        1e-8,
        'diff of diffs',
      );
    });

    it('counts clusters per group', () => {
      assert.deepEqual(result.clusters, {
        treated: expected.clustersTreated,
        control: expected.clustersControl,
        total: expected.clusters,
      });
    });

    it('matches vcovCL HC1 with t on G - 1 df (CR1)', () => {
      assertInference(result.cr1, expected.cr1, 1e-8, 'CR1');
    });

    it('matches clubSandwich CR2 with Satterthwaite df, coef_test p and conf_int', () => {
      assertInference(result.cr2, expected.cr2, 1e-8, 'CR2');
    });

    if (expected.panel) {
      const panel = expected.panel;
      it('counts units seen in both periods or only one', () => {
        assert.equal(result.panel.design, 'panel');
        assert.equal(result.panel.balanced, false);
        assert.equal(result.panel.units, panel.units);
        assert.equal(result.panel.unitsBothPeriods, panel.unitsBothPeriods);
        assert.equal(result.panel.unitsPreOnly, panel.unitsPreOnly);
        assert.equal(result.panel.unitsPostOnly, panel.unitsPostOnly);
        assert.ok(result.warnings.some((w) => w.startsWith('unbalanced panel')));
      });
    }
  });
}

describe('difference-in-differences: which result to report', () => {
  it('recommends CR2 and warns with 8 clusters', () => {
    const result = estimateDifferenceInDifferences(
      readGolden<{ rows: DidRow[] }>('did-8-clusters').input.rows,
    );
    assert.equal(result.recommended, 'CR2');
    assert.ok(result.warnings.some((w) => /only 8 clusters \(4 treated, 4 control\)/.test(w)));
    assert.equal(result.panel.design, 'repeated-cross-section');
  });

  it('recommends CR1 with 40 clusters and recognises a balanced panel', () => {
    const result = estimateDifferenceInDifferences(
      readGolden<{ rows: DidRow[] }>('did-40-clusters').input.rows,
    );
    assert.equal(result.recommended, 'CR1');
    assert.equal(result.panel.design, 'panel');
    assert.equal(result.panel.balanced, true);
    assert.ok(!result.warnings.some((w) => /clusters \(/.test(w)));
  });

  it('uses the requested confidence level', () => {
    const rows = readGolden<{ rows: DidRow[] }>('did-40-clusters').input.rows;
    const r90 = estimateDifferenceInDifferences(rows, { level: 0.9 });
    const r95 = estimateDifferenceInDifferences(rows);
    assert.ok(r90.cr2.ciUpper - r90.cr2.ciLower < r95.cr2.ciUpper - r95.cr2.ciLower);
    assertAllClose([r90.cr2.level], [0.9], 0);
  });
});

describe('difference-in-differences input errors', () => {
  const base: DidRow[] = [
    { unitId: 'a1', clusterId: 'A', treated: true, post: false, y: 1 },
    { unitId: 'a2', clusterId: 'A', treated: true, post: true, y: 3 },
    { unitId: 'b1', clusterId: 'B', treated: true, post: false, y: 2 },
    { unitId: 'b2', clusterId: 'B', treated: true, post: true, y: 5 },
    { unitId: 'c1', clusterId: 'C', treated: false, post: false, y: 1 },
    { unitId: 'c2', clusterId: 'C', treated: false, post: true, y: 2 },
    { unitId: 'd1', clusterId: 'D', treated: false, post: false, y: 2 },
    { unitId: 'd2', clusterId: 'D', treated: false, post: true, y: 2.5 },
  ];

  function rejects(rows: DidRow[], pattern: RegExp): void {
    assert.throws(
      () => estimateDifferenceInDifferences(rows),
      (e: unknown) => e instanceof AttributionInputError && pattern.test(e.message),
    );
  }

  it('estimates on a small valid table', () => {
    const r = estimateDifferenceInDifferences(base);
    assertClose(r.estimate, 4 - 1.5 - (2.25 - 1.5), 1e-12, 'estimate');
  });

  it('needs 2 clusters in each group and says which group is short', () => {
    rejects(
      base.map((r) => (r.treated ? { ...r, clusterId: 'A' } : r)),
      /at least 2 clusters in each group; treatment has 1/,
    );
    rejects(
      base.map((r) => (!r.treated ? { ...r, clusterId: 'C' } : r)),
      /control has 1/,
    );
  });

  it('names an empty cell of the 2x2 table', () => {
    rejects(
      base.filter((r) => r.treated || !r.post),
      /no rows for control after/,
    );
  });

  it('lists rows with a non-finite outcome', () => {
    rejects(
      base.map((r, i) => (i === 3 || i === 6 ? { ...r, y: Number.NaN } : r)),
      /rows 4 and 7/,
    );
  });

  it('refuses a unit that switches group', () => {
    rejects(
      base.map((r) => (r.unitId === 'c2' ? { ...r, unitId: 'a1', clusterId: 'A', treated: false } : r)),
      /unit a1 is marked treated in some rows and control in others/,
    );
  });

  it('refuses two rows for one unit in the same period', () => {
    rejects(
      base.map((r) => (r.unitId === 'a2' ? { ...r, unitId: 'a1', post: false } : r)),
      /unit a1 has more than one row before/,
    );
  });

  it('refuses an empty data set', () => {
    rejects([], /no rows were given/);
  });
});
