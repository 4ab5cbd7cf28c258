import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  propensityScoreMatch,
  PROPENSITY_SCORE_ROW,
  type PsmRow,
} from '../../../../src/reports/stats/psm.js';
import { AttributionInputError } from '../../../../src/reports/stats/matrix-errors.js';
import { assertAllClose, assertClose, readGolden } from '../../../fixtures/golden/attribution/golden.js';
import {
  assertBalanceRow,
  type BalanceExpectedRow,
} from '../../../fixtures/golden/attribution/golden-balance.js';

interface PsmInput {
  covariates: string[];
  caliper?: number;
  rows: (Record<string, number> & { id: string })[];
}
interface PsmExpected {
  propensityCoefficients: number[];
  distance: number[];
  caliperWidth: number | null;
  pairs: { treatedId: string; controlId: string }[];
  treatedUnmatched: number;
  controlsUnmatched: number;
  att: number;
  attMeanPairDifference: number;
  se: number;
  df: number;
  ciLower: number;
  ciUpper: number;
  balanceBefore: BalanceExpectedRow[];
  balanceAfter: BalanceExpectedRow[];
  warnings: string[];
}

function toRows(input: PsmInput): PsmRow[] {
  return input.rows.map((r) => ({
    id: r.id,
    treated: r.treat === 1,
    outcome: r.y!,
    covariates: Object.fromEntries(input.covariates.map((c) => [c, r[c]!])),
  }));
}

for (const name of ['psm-nearest', 'psm-caliper', 'psm-ties']) {
  describe(`propensity-score matching against R: ${name}`, () => {
    const { input, expected } = readGolden<PsmInput, PsmExpected>(name);
    const result = propensityScoreMatch(toRows(input), {
      covariates: input.covariates,
      ...(input.caliper !== undefined ? { caliper: input.caliper } : {}),
    });

    it('fits the same propensity model and scores as glm', () => {
      assertAllClose(
        result.propensityModel.coefficients,
        expected.propensityCoefficients,
        1e-6,
        'coefficients',
      );
      assertAllClose(result.propensityScores, expected.distance, 1e-6, 'scores');
      if (expected.caliperWidth === null) assert.equal(result.caliperWidth, null);
      else assertClose(result.caliperWidth!, expected.caliperWidth, 1e-8, 'caliper width');
    });

    it('forms the same pairs and leaves the same units unmatched', () => {
      const got = result.pairs.map((p) => `${p.treatedId}->${p.controlId}`).sort();
      assert.deepEqual(got, expected.pairs.map((p) => `${p.treatedId}->${p.controlId}`).sort());
      assert.equal(result.unmatched.treated, expected.treatedUnmatched);
      assert.equal(result.unmatched.controls, expected.controlsUnmatched);
    });

    it('matches the ATT, its vcovCL-by-pair SE and the t(P - 1) interval', () => {
      assertClose(result.att.estimate, expected.att, 1e-8, 'ATT');
      assertClose(result.att.estimate, expected.attMeanPairDifference, 1e-8, 'mean pair difference');
      assertClose(result.att.se, expected.se, 1e-8, 'SE');
      assert.equal(result.att.df, expected.df);
      assertClose(result.att.ciLower, expected.ciLower, 1e-8, 'CI lower');
      assertClose(result.att.ciUpper, expected.ciUpper, 1e-8, 'CI upper');
    });

    it('matches the balance tables before and after matching (propensity score first)', () => {
      assert.equal(result.balance.before.rows[0]!.name, PROPENSITY_SCORE_ROW);
      expected.balanceBefore.forEach((e, i) =>
        assertBalanceRow(result.balance.before.rows[i]!, e, `before ${e.name}`),
      );
      expected.balanceAfter.forEach((e, i) =>
        assertBalanceRow(result.balance.after.rows[i]!, e, `after ${e.name}`),
      );
    });
  });
}

describe('propensity-score matching warnings and errors', () => {
  it('warns when participants go unmatched within the caliper', () => {
    const { input } = readGolden<PsmInput, PsmExpected>('psm-caliper');
    const r = propensityScoreMatch(toRows(input), { covariates: input.covariates, caliper: input.caliper! });
    assert.ok(r.warnings.some((w) => /12 of 92 participants were not matched within the caliper/.test(w)));
  });

  it('warns when there are more participants than non-participants, as MatchIt does', () => {
    const { input, expected } = readGolden<PsmInput, PsmExpected>('psm-ties');
    assert.ok(expected.warnings.some((w) => /Fewer control units than treated units/.test(w)));
    const r = propensityScoreMatch(toRows(input), { covariates: input.covariates });
    assert.ok(r.warnings.some((w) => /more participants \(78\) than non-participants \(72\)/.test(w)));
  });

  it('names people with a missing covariate', () => {
    const { input } = readGolden<PsmInput, PsmExpected>('psm-nearest');
    const rows = toRows(input).map((r, i) =>
      i === 4 ? { ...r, covariates: { ...r.covariates, age: Number.NaN } } : r,
    );
    assert.throws(
      () => propensityScoreMatch(rows, { covariates: input.covariates }),
      (e: unknown) =>
        e instanceof AttributionInputError && /'age' is missing or not a number for emp005/.test(e.message),
    );
  });

  it('asks for a wider caliper when fewer than 2 pairs form', () => {
    const { input } = readGolden<PsmInput, PsmExpected>('psm-nearest');
    assert.throws(
      () => propensityScoreMatch(toRows(input), { covariates: input.covariates, caliper: 1e-9 }),
      /widen the caliper/,
    );
  });
});
