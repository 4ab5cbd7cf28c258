import assert from 'node:assert/strict';
import {
  parseBoolean,
  parseDecimal,
  parseField,
  parseIsoDate,
  parseMonth,
} from '../../../src/outcomes/fields.js';
import { payrollKind } from '../../../src/outcomes/kinds/payroll-kind.js';

describe('outcome field parsing', () => {
  it('reads decimals with grouping, currency and percent signs, and rejects the rest', () => {
    assert.equal(parseDecimal('1,234.50'), '1234.50');
    assert.equal(parseDecimal(' $12 '), '12');
    assert.equal(parseDecimal('-$3.5'), '-3.5');
    assert.equal(parseDecimal('6%'), '6');
    assert.equal(parseDecimal('.5'), '0.5');
    assert.equal(parseDecimal('+7.'), '7');
    assert.equal(parseDecimal(4.25), '4.25');
    for (const bad of ['six', '1,23', '1e3', '', '12,5', NaN, '1.2.3'])
      assert.equal(parseDecimal(bad), undefined, String(bad));
  });

  it('accepts only real calendar dates in ISO form', () => {
    assert.equal(parseIsoDate('2024-02-29'), '2024-02-29');
    assert.equal(parseIsoDate('2025-02-29'), undefined);
    assert.equal(parseIsoDate('2025-13-01'), undefined);
    assert.equal(parseIsoDate('03/02/2025'), undefined);
  });

  it('normalizes months to their first day', () => {
    assert.equal(parseMonth('2025-07'), '2025-07-01');
    assert.equal(parseMonth('2025-07-01'), '2025-07-01');
    assert.equal(parseMonth('2025-07-15'), undefined);
    assert.equal(parseMonth('2025-00'), undefined);
  });

  it('reads yes/no words and 1/0', () => {
    assert.equal(parseBoolean('Yes'), true);
    assert.equal(parseBoolean('n'), false);
    assert.equal(parseBoolean(0), false);
    assert.equal(parseBoolean('maybe'), undefined);
  });

  it('checks ranges, the future and required cells by field', () => {
    const [employee, period, deferral] = payrollKind.fields;
    const today = '2025-06-15';
    assert.deepEqual(parseField(deferral!, '100', today), { ok: true, value: '100' });
    assert.deepEqual(parseField(deferral!, '100.01', today), { ok: false, problem: 'out_of_range' });
    assert.deepEqual(parseField(deferral!, ' ', today), { ok: true, value: null });
    assert.deepEqual(parseField(employee!, '', today), { ok: false, problem: 'missing' });
    assert.deepEqual(parseField(period!, '2025-06', today), { ok: true, value: '2025-06-01' });
    assert.deepEqual(parseField(period!, '2025-07', today), { ok: false, problem: 'in_future' });
  });
});
