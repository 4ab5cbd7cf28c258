import assert from 'node:assert/strict';
import {
  normalizeHeader,
  parseMappingPairs,
  resolveColumnMapping,
} from '../../../src/outcomes/column-mapping.js';
import { claimsKind } from '../../../src/outcomes/kinds/claims-kind.js';
import { payrollKind } from '../../../src/outcomes/kinds/payroll-kind.js';
import { ValidationError } from '../../../src/errors.js';

describe('column mapping', () => {
  it('normalizes header spellings', () => {
    assert.equal(normalizeHeader('Employee ID'), 'employee_id');
    assert.equal(normalizeHeader('\uFEFFEmployeeId'), 'employee_id');
    assert.equal(normalizeHeader('Deferral %'), 'deferral_pct');
    assert.equal(normalizeHeader('Claim #'), 'claim_number');
  });

  it('maps headers by name and alias, ignoring unknown columns', () => {
    const m = resolveColumnMapping(claimsKind, [
      'Emp ID',
      'Claim #',
      'Category',
      'Allowed Amount',
      'Date of Service',
      'Notes',
    ]);
    assert.deepEqual(m.applied, {
      'Emp ID': 'employee_id',
      'Claim #': 'claim_id',
      Category: 'claim_type',
      'Allowed Amount': 'cost',
      'Date of Service': 'service_date',
    });
    assert.deepEqual(m.ignored, ['Notes']);
    assert.equal(m.columns.find((c) => c.field.name === 'cost')!.index, 3);
  });

  it('lets an explicit mapping override or ignore a column', () => {
    const m = resolveColumnMapping(payrollKind, ['id', 'period', 'deferral', 'deferral_pct'], {
      id: 'employee_id',
      deferral: '-',
    });
    assert.deepEqual(m.applied, { id: 'employee_id', period: 'period', deferral_pct: 'deferral_pct' });
    assert.deepEqual(m.ignored, []);
  });

  it('refuses two columns for one field', () => {
    assert.throws(
      () => resolveColumnMapping(payrollKind, ['employee_id', 'period', 'deferral', 'deferral_pct']),
      (err: ValidationError) =>
        /the columns "deferral" and "deferral_pct" both map to deferral_pct/.test(err.message),
    );
  });

  it('parses header=field pairs and names the malformed ones', () => {
    assert.deepEqual(parseMappingPairs(['Emp No=employee_id', 'a=b=c']), {
      'Emp No': 'employee_id',
      'a=b': 'c',
    });
    assert.throws(() => parseMappingPairs(['nope', '=x']), /"nope", "=x"/);
  });
});
