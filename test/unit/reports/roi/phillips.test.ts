import assert from 'node:assert/strict';
import { benefitModel } from '../../../../src/reports/roi/benefit-model.js';
import { rational, toCents } from '../../../../src/reports/roi/exact.js';
import { formatRoiPercent, phillipsRoi } from '../../../../src/reports/roi/phillips.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';

// The five worked examples of /work/shared/seed-examples.md: each must reproduce exactly.
describe('Phillips ROI worked examples', () => {
  it('worked example 1, benefits training per participant: $450 benefit vs $150 cost is ROI 200%', () => {
    const benefit = benefitModel({
      adjustForConfidence: false,
      items: [
        { label: 'Contribution increase ($25/month)', units: 12, valuePerUnit: 25 },
        { label: 'Employer match captured', units: 1, valuePerUnit: 50 },
        { label: 'First-year claims reduction', units: 1, valuePerUnit: 100 },
      ],
    });
    assert.equal(toCents(benefit.presentValue), 45000n);
    const r = phillipsRoi({ benefit: benefit.presentValue, cost: 150 });
    assert.equal(toCents(r.netBenefit), 30000n);
    assert.deepEqual(r.roi, rational(2n));
    assert.deepEqual(r.roiPercent, rational(200n));
    assert.equal(r.approx.roiRatio, 2);
    assert.equal(r.approx.roiPercent, 200);
    assert.equal(formatRoiPercent(r, 0), '200');
  });

  it('worked example 2, Case A 401(k): $380 vs $120 is ROI 216.666...%, reported as 216.7 (about 217)', () => {
    const r = phillipsRoi({ benefit: 380, cost: 120 });
    assert.equal(toCents(r.netBenefit), 26000n);
    assert.deepEqual(r.roi, rational(13n, 6n));
    assert.deepEqual(r.roiPercent, rational(650n, 3n));
    assert.equal(formatRoiPercent(r), '216.7');
    assert.equal(formatRoiPercent(r, 0), '217');
    assert.equal(formatRoiPercent(r, 4), '216.6667');
  });

  it('worked example 3, Case B claims utilization: $210 vs $80 is ROI 162.5% (about 163)', () => {
    const r = phillipsRoi({ benefit: 210, cost: 80 });
    assert.equal(toCents(r.netBenefit), 13000n);
    assert.deepEqual(r.roiPercent, rational(325n, 2n));
    assert.equal(formatRoiPercent(r), '162.5');
    assert.equal(formatRoiPercent(r, 0), '163');
  });

  it('worked example 4, wellness program: $120,000 + $80,000 vs $50,000 is ROI 300%', () => {
    const benefit = benefitModel({
      adjustForConfidence: false,
      items: [
        { label: 'Absenteeism savings', units: 1, valuePerUnit: 120000 },
        { label: 'Productivity', units: 1, valuePerUnit: 80000 },
      ],
    });
    const r = phillipsRoi({ benefit: benefit.presentValue, cost: 50000 });
    assert.equal(toCents(r.benefit), 20000000n);
    assert.equal(toCents(r.netBenefit), 15000000n);
    assert.deepEqual(r.roiPercent, rational(300n));
    assert.deepEqual(r.benefitCostRatio, rational(4n));
  });

  it('worked example 5, emotional-intelligence program: $360,000 vs $75,000 is ROI 380%', () => {
    const benefit = benefitModel({
      adjustForConfidence: false,
      items: [
        { label: 'Absenteeism 8 -> 6.5 days', units: 1, valuePerUnit: 150000 },
        { label: 'Voluntary turnover 12% -> 10%', units: 1, valuePerUnit: 120000 },
        { label: 'Productivity index 100 -> 103', units: 1, valuePerUnit: 90000 },
      ],
      intangibles: ['Emotional-intelligence climate'],
    });
    const r = phillipsRoi({ benefit: benefit.presentValue, cost: 75000 });
    assert.equal(toCents(r.benefit), 36000000n);
    assert.equal(toCents(r.netBenefit), 28500000n);
    assert.deepEqual(r.roi, rational(19n, 5n));
    assert.deepEqual(r.roiPercent, rational(380n));
    assert.equal(r.approx.roiRatio, 3.8);
    assert.deepEqual(r.benefitCostRatio, rational(24n, 5n));
    assert.deepEqual(benefit.intangibles, ['Emotional-intelligence climate']);
  });
});

describe('Phillips ROI', () => {
  it('computes payback months as cost / (annual benefit / 12)', () => {
    const r = phillipsRoi({ benefit: 900, cost: 150, annualBenefit: 450 });
    assert.deepEqual(r.paybackMonths, rational(4n));
    assert.equal(phillipsRoi({ benefit: 380, cost: 120 }).approx.paybackMonths?.toFixed(6), '3.789474');
  });

  it('has no payback and a negative ROI when the benefit is not positive', () => {
    const r = phillipsRoi({ benefit: -50, cost: 100 });
    assert.equal(r.paybackMonths, null);
    assert.deepEqual(r.roiPercent, rational(-150n));
  });

  it('keeps decimal inputs exact (0.1 + 0.2 style sums)', () => {
    const r = phillipsRoi({ benefit: '0.30', cost: 0.1 });
    assert.deepEqual(r.roi, rational(2n));
  });

  it('refuses a zero or negative cost', () => {
    assert.throws(() => phillipsRoi({ benefit: 10, cost: 0 }), StatsInputError);
    assert.throws(() => phillipsRoi({ benefit: 10, cost: -5 }), /cost must be positive/);
    assert.throws(() => phillipsRoi({ benefit: Number.NaN, cost: 5 }), StatsInputError);
  });
});
