import assert from 'node:assert/strict';
import {
  add,
  divide,
  power,
  rational,
  toCents,
  toFixed,
  toNumber,
  toRational,
} from '../../../../src/reports/roi/exact.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';

describe('exact decimal arithmetic', () => {
  it('reads numbers by their shortest decimal form, so 0.1 + 0.2 is exactly 3/10', () => {
    assert.deepEqual(add(toRational(0.1), toRational(0.2)), rational(3n, 10n));
  });

  it('reads decimal strings, exponents and negative values', () => {
    assert.deepEqual(toRational('1250.50'), rational(2501n, 2n));
    assert.deepEqual(toRational('2.5e3'), rational(2500n));
    assert.deepEqual(toRational(1e-7), rational(1n, 10000000n));
    assert.deepEqual(toRational('-.25'), rational(-1n, 4n));
  });

  it('rounds halves away from zero for display and cents', () => {
    assert.equal(toFixed(rational(325n, 2n), 0), '163');
    assert.equal(toFixed(rational(-325n, 2n), 0), '-163');
    assert.equal(toFixed(rational(650n, 3n), 1), '216.7');
    assert.equal(toFixed(rational(1n, 200n), 2), '0.01');
    assert.equal(toFixed(rational(-1n, 1000n), 2), '0.00');
    assert.equal(toCents(toRational('19.995')), 2000n);
  });

  it('converts to the nearest double', () => {
    assert.equal(toNumber(rational(650n, 3n)), 650 / 3);
    assert.equal(toNumber(rational(19n, 5n)), 3.8);
  });

  it('raises to whole powers, including negative ones', () => {
    assert.deepEqual(power(rational(11n, 10n), 2), rational(121n, 100n));
    assert.deepEqual(power(rational(11n, 10n), -1), rational(10n, 11n));
  });

  it('rejects non-decimal text, infinities and division by zero', () => {
    assert.throws(() => toRational('1,000'), /plain decimal number/);
    assert.throws(() => toRational('abc'), StatsInputError);
    assert.throws(() => toRational(Infinity), StatsInputError);
    assert.throws(() => divide(rational(1n), rational(0n)), StatsInputError);
  });
});
