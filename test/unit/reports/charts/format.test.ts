import assert from 'node:assert/strict';
import {
  formatCount,
  formatDate,
  formatInterval,
  formatMinutes,
  formatMoney,
  formatPercent,
  formatPoints,
  formatValue,
  parseIsoDate,
} from '../../../../src/reports/charts/format.js';

describe('chart number formatting', () => {
  it('writes proportions as percentages with one decimal', () => {
    assert.equal(formatPercent(0.7234), '72.3%');
    assert.equal(formatPercent(1), '100.0%');
    assert.equal(formatPercent(0), '0.0%');
    assert.equal(formatPercent(92 / 120), '76.7%');
  });

  it('writes money in whole currency units with separators and a sign', () => {
    assert.equal(formatMoney(148200), '$148,200');
    assert.equal(formatMoney(-1200.4), '-$1,200');
    assert.equal(formatMoney(5000, 'EUR'), '€5,000');
  });

  it('writes minutes with one decimal and the unit', () => {
    assert.equal(formatMinutes(12.345), '12.3 min');
    assert.equal(formatMinutes(8), '8.0 min');
  });

  it('writes counts with separators and scores in signed points', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatPoints(27.6), '+28');
    assert.equal(formatPoints(-4.2), '-4');
    assert.equal(formatPoints(-0.3), '0');
  });

  it('formats by unit and writes intervals as "lower to upper"', () => {
    assert.equal(formatValue(0.5, 'proportion'), '50.0%');
    assert.equal(formatValue(90, 'money'), '$90');
    assert.equal(formatInterval(0.211, 0.37, 'proportion'), '21.1% to 37.0%');
  });

  it('reads and writes calendar dates in UTC whatever the server time zone', () => {
    assert.equal(formatDate('2026-03-02'), 'Mar 2, 2026');
    assert.equal(parseIsoDate('2026-01-05').toISOString(), '2026-01-05T00:00:00.000Z');
  });

  it('rejects dates that are not YYYY-MM-DD calendar dates', () => {
    assert.throws(() => parseIsoDate('2026-02-30'), /not a calendar date/);
    assert.throws(() => parseIsoDate('03/02/2026'), /YYYY-MM-DD/);
  });
});
