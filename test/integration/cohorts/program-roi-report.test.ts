import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import { ValidationError } from '../../../src/errors.js';

/**
 * The customer's worked examples (shared/seed-examples.md), entered the way an admin would: costs,
 * monetization assumptions with sources, and attributed effects; the report must reproduce them exactly.
 */
describe('program ROI reports', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Worked Examples')).id;
  });

  /** One program, with dollar-valued effects: units are dollars, each worth $1. */
  async function dollarProgram(
    name: string,
    cost: number,
    benefits: Record<string, number>,
    participants = 1,
  ) {
    const program = await services.programs.create(tenantId, { name });
    await services.economics.setCostModel(tenantId, program.id, { delivery: cost });
    for (const [outcome, dollars] of Object.entries(benefits)) {
      await services.economics.setAssumption(tenantId, program.id, {
        outcome,
        label: outcome.replace(/_/g, ' '),
        unit: 'dollar',
        valuePerUnit: 1,
        source: 'shared/seed-examples.md',
        confidencePercent: 100,
      });
      await services.economics.recordEffect(tenantId, program.id, {
        outcome,
        unitsPerParticipant: dollars,
        participants,
        method: 'manual',
      });
    }
    return services.roiReports.build(tenantId, program);
  }

  it('reproduces example 1 (benefits training, per participant): net $300, ROI 200%', async () => {
    const report = await dollarProgram('Example 1', 150, {
      contribution_increase: 300,
      match_captured: 50,
      claims_reduction: 100,
    });
    assert.equal(report.adjusted.benefit, '450.00');
    assert.equal(report.adjusted.netBenefit, '300.00');
    assert.equal(report.adjusted.roiPercent, '200.0');
  });

  it('reproduces example 2 (401(k) case A): ROI 216.7%', async () => {
    const report = await dollarProgram('Example 2', 120, { modeled_first_year_benefit: 380 });
    assert.equal(report.adjusted.roiPercent, '216.7');
  });

  it('reproduces example 3 (claims case B): ROI 162.5%', async () => {
    const report = await dollarProgram('Example 3', 80, { annualized_claims_savings: 210 });
    assert.equal(report.adjusted.roiPercent, '162.5');
  });

  it('reproduces example 4 (wellness): $200,000 benefit on $50,000, ROI 300%', async () => {
    const report = await dollarProgram('Example 4', 50000, {
      absenteeism_savings: 120000,
      productivity_gain: 80000,
    });
    assert.equal(report.adjusted.benefit, '200000.00');
    assert.equal(report.adjusted.roiPercent, '300.0');
  });

  it('reproduces example 5 (emotional intelligence, 1,000 employees) from per-person effects: ROI 380%', async () => {
    const program = await services.programs.create(tenantId, {
      name: 'Example 5',
      targetOutcomes: ['absence_days', 'separations', 'productivity_points'],
    });
    await services.economics.setCostModel(tenantId, program.id, {
      development: { total: 40000, offerings: 1 },
      platform: 15000,
      facilitation: 20000,
    });
    const assumptions = [
      { outcome: 'absence_days', label: 'Absence days avoided', unit: 'day', valuePerUnit: 100 },
      {
        outcome: 'separations',
        label: 'Voluntary separations avoided',
        unit: 'separation',
        valuePerUnit: 6000,
      },
      { outcome: 'productivity_points', label: 'Productivity index points', unit: 'point', valuePerUnit: 30 },
    ];
    for (const a of assumptions) {
      await services.economics.setAssumption(tenantId, program.id, {
        ...a,
        source: 'HR finance, 2026 budget',
        confidencePercent: 100,
      });
    }
    // 8 -> 6.5 absence days; 12% -> 10% turnover; productivity 100 -> 103; per person per year.
    await services.economics.recordEffect(tenantId, program.id, {
      outcome: 'absence_days',
      unitsPerParticipant: '1.5',
      lower: '1.0',
      upper: '2.0',
      participants: 1000,
      method: 'did',
    });
    await services.economics.recordEffect(tenantId, program.id, {
      outcome: 'separations',
      unitsPerParticipant: '0.02',
      lower: '0.01',
      upper: '0.03',
      participants: 1000,
      method: 'psm',
    });
    await services.economics.recordEffect(tenantId, program.id, {
      outcome: 'productivity_points',
      unitsPerParticipant: 3,
      lower: 1,
      upper: 5,
      participants: 1000,
      method: 'randomized',
    });
    const report = await services.roiReports.build(tenantId, program);
    assert.deepEqual(
      report.benefits.map((b) => [b.outcome, b.annualValue]),
      [
        ['absence_days', '150000.00'],
        ['productivity_points', '90000.00'],
        ['separations', '120000.00'],
      ],
    );
    assert.equal(report.adjusted.benefit, '360000.00');
    assert.equal(report.adjusted.cost, '75000.00');
    assert.equal(report.adjusted.roiPercent, '380.0');
    assert.equal(report.adjusted.benefitCostRatio, '4.80');
    assert.equal(report.adjusted.paybackMonths, '2.5');
    assert.equal(report.interval!.lower.benefit, '190000.00');
    assert.equal(report.interval!.upper.benefit, '530000.00');
    assert.ok(report.benefits.every((b) => b.method.length > 0));
    assert.equal(report.sensitivity.length > 0, true);
  });

  it('applies the confidence adjustment to the conservative figures and keeps the measured ones', async () => {
    const program = await services.programs.create(tenantId, { name: 'Adjusted' });
    await services.economics.setCostModel(tenantId, program.id, { delivery: 100 });
    await services.economics.setAssumption(tenantId, program.id, {
      outcome: 'claims_avoided',
      label: 'Claims avoided',
      unit: 'claim',
      valuePerUnit: 400,
      source: 'Claims data 2025',
      confidencePercent: 75,
    });
    await services.economics.recordEffect(tenantId, program.id, {
      outcome: 'claims_avoided',
      unitsPerParticipant: 1,
      participants: 1,
      method: 'manual',
    });
    const report = await services.roiReports.build(tenantId, program);
    assert.equal(report.unadjusted.roiPercent, '300.0');
    assert.equal(report.adjusted.roiPercent, '200.0');
    assert.equal(report.benefits[0]!.confidencePercent, '75.0');
    assert.equal(report.interval, null);
    assert.ok(report.warnings.some((w) => /no interval/.test(w)));
    assert.ok(report.warnings.some((w) => /not from a comparison group/.test(w)));
  });

  it('lists intangibles, overlapping confounding events and sanitized evidence beside the estimate', async () => {
    const program = await services.programs.create(tenantId, {
      name: 'Context',
      preWindow: { start: '2026-01-01', end: '2026-03-31' },
      postWindow: { start: '2026-04-01', end: '2026-09-30' },
    });
    await services.economics.setCostModel(tenantId, program.id, { delivery: 100 });
    await services.economics.setAssumption(tenantId, program.id, {
      outcome: 'x',
      label: 'X',
      unit: 'u',
      valuePerUnit: 1,
      source: 's',
      confidencePercent: 100,
    });
    await services.economics.recordEffect(tenantId, program.id, {
      outcome: 'x',
      unitsPerParticipant: 200,
      participants: 1,
      method: 'randomized',
      lower: 100,
      upper: 300,
    });
    await services.economics.setIntangibles(tenantId, program.id, [
      'Job satisfaction',
      'Job satisfaction',
      'Trust in HR',
    ]);
    await services.economics.addEvent(tenantId, program.id, {
      startsOn: '2026-05-01',
      title: 'Plan auto-escalation default raised to 2%',
    });
    await services.economics.addEvent(tenantId, program.id, {
      startsOn: '2025-01-01',
      endsOn: '2025-02-01',
      title: 'Old event',
    });
    await services.economics.addEvent(tenantId, program.id, {
      startsOn: '2026-06-15',
      title: 'Market drop',
      tenantWide: true,
    });
    await services.economics.addEvidence(tenantId, program.id, {
      kind: 'manager_note',
      title: 'Team lead',
      body: '<p>Fewer questions to HR.</p><script>alert(1)</script><a href="javascript:x()">x</a>',
    });
    const report = await services.roiReports.build(tenantId, program);
    assert.deepEqual(report.intangibles, ['Job satisfaction', 'Trust in HR']);
    assert.deepEqual(
      report.confoundingEvents.map((e) => e.title),
      ['Plan auto-escalation default raised to 2%', 'Market drop'],
    );
    assert.equal(
      report.evidence[0]!.bodyHtml,
      '<p>Fewer questions to HR.</p><a rel="noopener noreferrer">x</a>',
    );
  });

  it('refuses to report ROI without costs, or without a monetized effect, saying what to enter', async () => {
    const program = await services.programs.create(tenantId, { name: 'Empty' });
    await assert.rejects(
      services.roiReports.build(tenantId, program),
      (e: unknown) => e instanceof ValidationError && /enter its costs/.test(e.message),
    );
    await services.economics.setCostModel(tenantId, program.id, { delivery: 10 });
    await services.economics.recordEffect(tenantId, program.id, {
      outcome: 'orphan',
      unitsPerParticipant: 1,
      participants: 1,
      method: 'manual',
    });
    await assert.rejects(
      services.roiReports.build(tenantId, program),
      (e: unknown) => e instanceof ValidationError && /no monetized effects/.test(e.message),
    );
  });

  it('rejects an assumption without a source and a cost model with negative amounts', async () => {
    const program = await services.programs.create(tenantId, { name: 'Invalid inputs' });
    await assert.rejects(
      services.economics.setAssumption(tenantId, program.id, {
        outcome: 'x',
        label: 'X',
        unit: 'u',
        valuePerUnit: 1,
        source: ' ',
        confidencePercent: 50,
      }),
      (e: unknown) =>
        e instanceof ValidationError && /source: say where the value comes from/.test(e.message),
    );
    await assert.rejects(
      services.economics.setCostModel(tenantId, program.id, {
        delivery: -5,
        development: { total: 10, offerings: 0 },
      }),
      (e: unknown) =>
        e instanceof ValidationError &&
        /delivery: must not be negative/.test(e.message) &&
        /offerings/.test(e.message),
    );
  });

  it('keeps snapshots of what was reported, newest first', async () => {
    const program = await services.programs.get(tenantId, 'Example 4');
    const first = await services.roiReports.snapshot(tenantId, program);
    await services.economics.setCostModel(tenantId, program.id, { delivery: 100000 });
    await services.roiReports.snapshot(tenantId, program);
    const snapshots = await services.roiReports.snapshots(tenantId, program.id);
    assert.equal(snapshots.length, 2);
    assert.equal((snapshots[1]!.report as { adjusted: { roiPercent: string } }).adjusted.roiPercent, '300.0');
    assert.equal((snapshots[0]!.report as { adjusted: { roiPercent: string } }).adjusted.roiPercent, '100.0');
    assert.equal(snapshots[1]!.id, first.id);
  });
});
