import assert from 'node:assert/strict';
import type { ProgramRoiReport } from '../../../../src/reports/program-roi-report-service.js';
import type { RoiBootstrapSummary } from '../../../../src/reports/program-roi-bootstrap.js';
import { roiLadder, roiVerdict } from '../../../../src/web/presenters/roi-verdict.js';

const figures = (roiPercent: string, benefitCostRatio: string) => ({
  benefit: '0.00',
  cost: '0.00',
  netBenefit: '0.00',
  roiPercent,
  benefitCostRatio,
  paybackMonths: null,
});

function bootstrap(lower: string, upper: string): RoiBootstrapSummary {
  return {
    methodName: 'participant bootstrap',
    resamples: 2000,
    seed: 7,
    confidence: 0.95,
    participants: 199,
    roiPercent: '0.0',
    percentile: { lowerPercent: lower, upperPercent: upper },
    bca: { lowerPercent: lower, upperPercent: upper, biasCorrection: 0, acceleration: 0 },
    bcaUnavailable: null,
    conservativeRoiPercent: lower,
    conservativeFrom: 'bca',
    note: '',
  };
}

/** A report with the adjusted ROI, its benefit-cost ratio and an interval (bootstrap, range or none). */
function report(
  roi: string,
  bcr: string,
  interval: { bootstrap?: [string, string]; range?: [string, string] } = {},
): ProgramRoiReport {
  return {
    program: { id: 'p', name: 'P', perspective: 'employer', horizonYears: 1 },
    currency: 'USD',
    adjusted: figures(roi, bcr),
    unadjusted: figures('401.1', '5.01'),
    interval: interval.range
      ? {
          lower: figures(interval.range[0], '0'),
          upper: figures(interval.range[1], '0'),
          note: '',
        }
      : null,
    bootstrap: interval.bootstrap ? bootstrap(...interval.bootstrap) : null,
    bootstrapUnavailable: null,
    builtAt: '2026-12-07T10:00:00.000Z',
    effectsAsOf: null,
    dataAsOf: null,
    benefits: [],
    costs: [],
    sensitivity: [
      { assumption: 'Development cost', minRoiPercent: '136.7', maxRoiPercent: '321.7', swing: '185.0' },
    ],
    intangibles: [],
    confoundingEvents: [],
    evidence: [],
    warnings: [],
    assumptions: [],
  };
}

describe('the ROI verdict', () => {
  it('says a program paid off when the whole interval is above break-even, quoting the adjusted ROI', () => {
    const v = roiVerdict(report('274.7', '3.75', { bootstrap: ['212.1', '340.4'] }));
    assert.equal(v.tone, 'paid-off');
    assert.equal(v.figure, '275%');
    assert.equal(v.interval, '212% to 340%');
    assert.equal(v.intervalLabel, '95% interval');
    assert.equal(v.sentence, 'Paid off: every $1 spent returned $3.75; even the cautious estimate is 212%.');
    assert.equal(v.chartTitle, 'Paid off: ROI 275% (95% interval 212% to 340%)');
  });

  it('says a program did not pay off when the whole interval is below break-even', () => {
    const v = roiVerdict(report('-60.0', '0.40', { bootstrap: ['-80.2', '-35.5'] }));
    assert.equal(v.tone, 'did-not-pay-off');
    assert.equal(v.figure, '-60%');
    assert.match(
      v.sentence,
      /^Did not pay off: every \$1 spent returned only \$0\.40; even the hopeful estimate is -36%/,
    );
  });

  it('says it is too uncertain when the interval spans break-even, even with a positive estimate', () => {
    const v = roiVerdict(report('138.2', '2.38', { bootstrap: ['-179.4', '486.4'] }));
    assert.equal(v.tone, 'uncertain');
    assert.equal(v.toneLabel, 'Too uncertain to say');
    assert.equal(v.figure, '138%');
    assert.match(
      v.sentence,
      /the 95% interval runs from -179% to 486%, so the program may have made or lost money/,
    );
  });

  it('counts an interval that ends exactly at break-even as uncertain', () => {
    assert.equal(roiVerdict(report('50.0', '1.50', { bootstrap: ['0.0', '90.0'] })).tone, 'uncertain');
  });

  it('falls back to the range of the effects’ intervals without a bootstrap, and names it a range', () => {
    const v = roiVerdict(report('100.0', '2.00', { range: ['50.0', '150.0'] }));
    assert.equal(v.tone, 'paid-off');
    assert.equal(v.intervalLabel, 'range');
    assert.equal(v.chartTitle, 'Paid off: ROI 100% (range 50% to 150%)');
  });

  it('will not call a program without any interval paid off', () => {
    const v = roiVerdict(report('300.0', '4.00'));
    assert.equal(v.tone, 'uncertain');
    assert.equal(v.interval, null);
    assert.match(v.sentence, /no interval/);
  });
});

describe('the ROI ladder', () => {
  it('marks only the confidence-adjusted rung as quoted and explains every rung', () => {
    const rungs = roiLadder(
      report('274.7', '3.75', { bootstrap: ['212.1', '340.4'], range: ['150.0', '400.0'] }),
    );
    assert.deepEqual(
      rungs.map((r) => [r.label, r.value]),
      [
        ['As measured', '401%'],
        ['Confidence-adjusted (quoted)', '275%'],
        ['Its 95% interval', '212% to 340%'],
        ['Every effect at its low end', '150%'],
        ['Sensitivity', '137% to 322%'],
      ],
    );
    assert.deepEqual(
      rungs.filter((r) => r.quoted).map((r) => r.value),
      ['275%'],
    );
    for (const r of rungs) assert.ok(r.explanation.length > 20, r.label);
  });
});
