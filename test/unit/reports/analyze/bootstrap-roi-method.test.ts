import assert from 'node:assert/strict';
import { bootstrapRoiMethod } from '../../../../src/reports/analyze/bootstrap-roi-method.js';
import { bootstrapRoi } from '../../../../src/reports/roi/bootstrap-roi.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze bootstrap-roi', () => {
  const example = JSON.parse(fixture('bootstrap-roi.json'));

  it('equals the calculator for the same seed and reports the seed', () => {
    const out = runJson(bootstrapRoiMethod, example);
    const direct = bootstrapRoi({ ...example, seed: 20260401 });
    assert.equal(out.result.roi, direct.roi);
    assert.equal(out.result.conservativeRoi, direct.conservativeRoi);
    assert.equal(out.result.percentile.lower, direct.percentile.lower);
    assert.equal(out.result.bca?.upper, direct.bca?.upper);
    assert.equal(out.result.seed, 20260401);
    assert.equal(out.input.summary.seed, 20260401);
  });

  it('gives another interval for another seed, and the same one for the same seed', () => {
    const a = runJson(bootstrapRoiMethod, example, { seed: 5 }).result;
    const b = runJson(bootstrapRoiMethod, example, { seed: 5 }).result;
    const c = runJson(bootstrapRoiMethod, example, { seed: 6 }).result;
    assert.deepEqual(a, b);
    assert.notEqual(a.percentile.lower, c.percentile.lower);
  });

  it('reads benefits from CSV with the cost and seed from options', () => {
    const settings = { fixedCost: 3600, participants: 30, seed: 20260401 };
    assert.deepEqual(
      runCsv(bootstrapRoiMethod, fixture('bootstrap-roi.csv'), settings).result,
      runJson(bootstrapRoiMethod, example).result,
    );
  });

  it('asks for the fixed cost when a CSV comes without it', () => {
    const error = validationError(() => runCsv(bootstrapRoiMethod, fixture('bootstrap-roi.csv')));
    assert.deepEqual(
      error.details.map((d) => d.path),
      ['fixedCost'],
    );
  });

  it('warns when the resamples are too few for the level', () => {
    const out = runJson(bootstrapRoiMethod, { ...example, resamples: 20 });
    assert.match(out.warnings.join(' '), /too few resamples \(20\)/);
  });

  it('refuses costs that do not pair with benefits', () => {
    const error = validationError(() =>
      runJson(bootstrapRoiMethod, { ...example, costPerParticipant: [1, 2] }),
    );
    assert.match(error.message, /costPerParticipant has 2 values but benefitPerParticipant has 30/);
  });
});
