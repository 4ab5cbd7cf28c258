import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { covariateBalance, randomizationBalanceTable } from '../../../../src/reports/stats/balance.js';
import { assertClose, readGolden } from '../../../fixtures/golden/attribution/golden.js';
import {
  assertBalanceRow,
  type BalanceExpectedRow,
} from '../../../fixtures/golden/attribution/golden-balance.js';

describe('randomization balance table against MatchIt summary (pooled SD)', () => {
  const golden = readGolden<
    { covariates: string[]; rows: Record<string, number>[] },
    { rows: BalanceExpectedRow[] }
  >('balance-randomized');
  const { covariates, rows } = golden.input;
  const table = randomizationBalanceTable(
    covariates.map((name) => ({ name, values: rows.map((r) => r[name]!) })),
    rows.map((r) => r.treated === 1),
  );

  it('matches means, SMDs and variance ratios for continuous and binary covariates', () => {
    assert.equal(table.denominator, 'pooled');
    golden.expected.rows.forEach((e, i) => assertBalanceRow(table.rows[i]!, e, e.name));
  });

  it('counts the people in each arm', () => {
    assert.equal(table.nTreated + table.nControl, rows.length);
    assert.equal(table.nTreated, rows.filter((r) => r.treated === 1).length);
  });
});

describe('balance conventions', () => {
  const treated = [true, true, true, false, false, false];

  it('uses p(1 - p) for a binary covariate and reports no variance ratio', () => {
    const b = covariateBalance({ name: 'manager', values: [1, 1, 0, 0, 0, 1] }, treated);
    // mean treated 2/3, control 1/3, treated SD sqrt(2/9).
    assertClose(b.standardizedMeanDifference!, 1 / 3 / Math.sqrt(2 / 9), 1e-12, 'SMD');
    assert.equal(b.varianceRatio, null);
    assert.equal(b.imbalanced, true);
  });

  it('falls back to the pooled within-group SD when the treated group is constant', () => {
    const b = covariateBalance({ name: 'grade', values: [5, 5, 5, 3, 4, 8] }, treated);
    // Within-group sum of squares 0 + 14, n - 2 = 4.
    assertClose(b.standardizedMeanDifference!, (5 - 5) / Math.sqrt(14 / 4), 1e-12, 'SMD');
    const c = covariateBalance({ name: 'grade', values: [5, 5, 5, 3, 4, 5] }, treated);
    assertClose(c.standardizedMeanDifference!, 1 / Math.sqrt(2 / 4), 1e-12, 'SMD with fallback');
  });

  it('weights the means but keeps the unweighted treated SD as the yardstick', () => {
    const values = [1, 2, 3, 2, 6, 10];
    const before = covariateBalance({ name: 'x', values }, treated);
    const after = covariateBalance({ name: 'x', values }, treated, { weights: [1, 1, 1, 1, 1, 0] });
    assertClose(before.standardizedMeanDifference!, (2 - 6) / 1, 1e-12, 'before');
    assertClose(after.standardizedMeanDifference!, (2 - 4) / 1, 1e-12, 'after');
    assertClose(after.varianceRatio!, 1 / 8, 1e-12, 'variance ratio');
  });

  it('reports a numerically zero mean difference unstandardized', () => {
    const b = covariateBalance({ name: 'x', values: [1, 2, 3, 3, 2, 1] }, treated);
    assert.equal(b.standardizedMeanDifference, 0);
    assert.equal(b.imbalanced, false);
  });

  it('refuses a missing covariate value and says which unit', () => {
    assert.throws(
      () => covariateBalance({ name: 'age', values: [1, Number.NaN, 3, 4, 5, 6] }, treated),
      /'age' is missing or not a number for unit 2/,
    );
  });
});
