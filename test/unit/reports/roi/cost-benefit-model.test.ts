import assert from 'node:assert/strict';
import { benefitModel } from '../../../../src/reports/roi/benefit-model.js';
import { fullyLoadedCost } from '../../../../src/reports/roi/cost-model.js';
import { rational, toCents } from '../../../../src/reports/roi/exact.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';

describe('fully loaded cost model', () => {
  it('prorates development, loads participant wages and totals every category', () => {
    const cost = fullyLoadedCost({
      development: { total: 60000, offerings: 4 },
      delivery: 2000,
      platform: 3000,
      facilitation: 5000,
      participantTime: { hoursPerParticipant: 3, hourlyWage: 40, benefitsLoad: 0.3, participants: 100 },
      evaluation: 4000,
      other: [{ label: 'Travel', amount: '450.25' }],
    });
    assert.deepEqual(
      cost.lines.map((l) => [l.category, toCents(l.amount)]),
      [
        ['development', 1500000n],
        ['delivery', 200000n],
        ['platform', 300000n],
        ['facilitation', 500000n],
        ['participantTime', 1560000n],
        ['evaluation', 400000n],
        ['other', 45025n],
      ],
    );
    assert.equal(toCents(cost.total), 4505025n);
  });

  it('lists only the categories that were given', () => {
    const cost = fullyLoadedCost({ platform: 10 });
    assert.deepEqual(
      cost.lines.map((l) => l.category),
      ['platform'],
    );
  });

  it('rejects negative amounts and zero offerings', () => {
    assert.throws(() => fullyLoadedCost({ delivery: -1 }), /cannot be negative/);
    assert.throws(() => fullyLoadedCost({ development: { total: 100, offerings: 0 } }), StatsInputError);
  });
});

describe('benefit model', () => {
  const items = [
    { label: 'Absence days avoided', units: 150, valuePerUnit: 300, confidence: 0.8 },
    { label: 'Claims avoided', units: 20, valuePerUnit: 500 },
  ];

  it('keeps the unadjusted value and applies the confidence adjustment only when asked', () => {
    const adjusted = benefitModel({ items, adjustForConfidence: true });
    const plain = benefitModel({ items, adjustForConfidence: false });
    assert.equal(toCents(adjusted.annualUnadjusted), 5500000n);
    assert.equal(toCents(adjusted.annualAdjusted), 4600000n);
    assert.equal(toCents(adjusted.presentValue), 4600000n);
    assert.equal(toCents(plain.presentValue), 5500000n);
    assert.deepEqual(adjusted.lines[0]!.confidence, rational(4n, 5n));
    assert.equal(toCents(adjusted.lines[0]!.unadjusted), 4500000n);
  });

  it('decays the effect each year and discounts at the end of each year', () => {
    const m = benefitModel({
      items: [{ label: 'Effect', units: 1, valuePerUnit: 1000 }],
      adjustForConfidence: false,
      horizonYears: 3,
      discountRate: 0.1,
      annualDecay: 0.2,
    });
    assert.deepEqual(
      m.years.map((y) => y.benefit),
      [rational(1000n), rational(800n), rational(640n)],
    );
    // 1000/1.1 + 800/1.21 + 640/1.331 = (1,210,000 + 880,000 + 640,000) / 1331
    assert.deepEqual(m.presentValue, rational(2730000n, 1331n));
  });

  it('reports intangibles without adding them to any total', () => {
    const m = benefitModel({ items: [], adjustForConfidence: true, intangibles: ['Morale', 'Trust in HR'] });
    assert.deepEqual(m.intangibles, ['Morale', 'Trust in HR']);
    assert.equal(toCents(m.presentValue), 0n);
  });

  it('rejects confidence given as a percentage and out-of-range rates', () => {
    assert.throws(
      () =>
        benefitModel({
          items: [{ label: 'X', units: 1, valuePerUnit: 1, confidence: 80 }],
          adjustForConfidence: true,
        }),
      /0.8 = 80%/,
    );
    assert.throws(
      () => benefitModel({ items, adjustForConfidence: true, annualDecay: 1.5 }),
      StatsInputError,
    );
    assert.throws(
      () => benefitModel({ items, adjustForConfidence: true, discountRate: -0.1 }),
      StatsInputError,
    );
    assert.throws(() => benefitModel({ items, adjustForConfidence: true, horizonYears: 0 }), StatsInputError);
  });
});
