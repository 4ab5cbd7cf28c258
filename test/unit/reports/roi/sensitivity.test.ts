import assert from 'node:assert/strict';
import { rational, toFixed } from '../../../../src/reports/roi/exact.js';
import { programRoi, type ProgramInput } from '../../../../src/reports/roi/program-roi.js';
import { programAssumptions, sensitivityTable } from '../../../../src/reports/roi/sensitivity.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';

const program: ProgramInput = {
  benefit: {
    adjustForConfidence: true,
    items: [{ label: 'Claims avoided', units: 100, valuePerUnit: 600, confidence: 0.8 }],
  },
  cost: {
    platform: 10000,
    participantTime: { hoursPerParticipant: 2, hourlyWage: 50, benefitsLoad: 0.25, participants: 100 },
  },
};

describe('ROI sensitivity table', () => {
  it('computes the base program ROI from its models', () => {
    // benefit 100 x 600 x 0.8 = 48,000; cost 10,000 + 2 x 50 x 1.25 x 100 = 22,500
    // ROI = (48,000 - 22,500) / 22,500 = 17/15 = 113.333...%
    assert.deepEqual(programRoi(program).roi.roiPercent, rational(340n, 3n));
  });

  it('enumerates the numeric assumptions of the program', () => {
    assert.deepEqual(
      programAssumptions(program).map((a) => a.name),
      [
        'Claims avoided: units',
        'Claims avoided: value per unit',
        'Claims avoided: confidence',
        'Cost: platform',
        'Participant hours',
        'Hourly wage',
        'Benefits load',
      ],
    );
  });

  it('varies one assumption at a time and recomputes ROI exactly', () => {
    const table = sensitivityTable(program);
    assert.deepEqual(table.stepsPercent, [-50, -25, 0, 25, 50]);
    const value = table.rows.find((r) => r.assumption.name === 'Claims avoided: value per unit')!;
    // +50%: benefit 72,000 vs cost 22,500 -> ROI 220%; -50%: 24,000 -> 6.666...%
    assert.equal(toFixed(value.cells[4]!.roiPercent, 4), '220.0000');
    assert.equal(toFixed(value.cells[0]!.roiPercent, 4), '6.6667');
    for (const row of table.rows) assert.deepEqual(row.cells[2]!.roiPercent, table.baseRoiPercent);
  });

  it('caps fractions such as confidence at 100% and marks the capped cells', () => {
    const confidence = sensitivityTable(program).rows.find(
      (r) => r.assumption.name === 'Claims avoided: confidence',
    )!;
    assert.deepEqual(
      confidence.cells.map((c) => c.capped),
      [false, false, false, false, true],
    );
    // +25% of 0.8 is exactly 1: allowed, not capped.
    assert.deepEqual(confidence.cells[3]!.value, rational(1n));
    assert.deepEqual(confidence.cells[4]!.value, rational(1n));
  });

  it('orders rows by ROI swing, largest first', () => {
    const swings = sensitivityTable(program).rows.map((r) => Number(toFixed(r.swing, 6)));
    assert.deepEqual(
      swings,
      [...swings].sort((a, b) => b - a),
    );
  });

  it('rejects a step of -100% or less', () => {
    assert.throws(() => sensitivityTable(program, [-100, 0]), StatsInputError);
  });
});
