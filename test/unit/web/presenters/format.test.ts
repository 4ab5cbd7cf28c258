import assert from 'node:assert/strict';
import {
  formatAmountOf,
  formatChangePoints,
  formatDate,
  formatDateTime,
  formatDuration,
  formatDurationRange,
  formatDateSpan,
  formatMoney,
  formatPercent,
  formatPercentagePoints,
  formatQuantity,
  outcomeLabel,
  withOutcomeLabels,
} from '../../../../src/web/presenters/format.js';

describe('numbers for people', () => {
  it('writes money in whole dollars with separators', () => {
    assert.equal(formatMoney('24915.30'), '$24,915');
    assert.equal(formatMoney(-1200), '-$1,200');
  });

  it('writes percentages whole from 10 up and with one decimal below', () => {
    assert.equal(formatPercent('212.1'), '212%');
    assert.equal(formatPercent('-199.2'), '-199%');
    assert.equal(formatPercent('4.55'), '4.6%');
    assert.equal(formatPercentagePoints('185.0'), '185 percentage points');
  });

  it('keeps measured amounts to about three significant digits, dollars as money', () => {
    assert.equal(formatQuantity(0.8245358633965845), '0.82');
    assert.equal(formatAmountOf('0.8245358633965845', 'percentage point'), '0.82 percentage points');
    assert.equal(formatAmountOf('231.62443761094016', 'dollar'), '$231.62');
    assert.equal(formatAmountOf(1, 'claim per year'), '1 claim per year');
    assert.equal(formatAmountOf(1.6722, 'day'), '1.67 days');
  });

  it('writes dates as "Dec 7, 2026" without shifting a plain date by the time zone', () => {
    assert.equal(formatDate('2026-12-07'), 'Dec 7, 2026');
    assert.equal(formatDate('2026-12-07T23:30:00.000Z'), 'Dec 7, 2026');
    assert.equal(formatDateSpan('2025-05-01', '2025-05-31'), 'May 1, 2025 to May 31, 2025');
    assert.equal(formatDateSpan('2025-09-01', null), 'from Sep 1, 2025');
  });

  it('names outcome codes by their labels, also inside domain sentences', () => {
    assert.equal(outcomeLabel('deferral_pct'), '401(k) deferral rate');
    assert.equal(outcomeLabel('made_up_code'), 'made up code');
    assert.equal(
      withOutcomeLabels('The effect on absence_days comes from a trend.'),
      'The effect on absence days comes from a trend.',
    );
  });

  it('writes durations in whole minutes and hours: "17 min", "1 h 5 min", "under 1 min"', () => {
    assert.equal(formatDuration(17.4), '17 min');
    assert.equal(formatDuration(65.2), '1 h 5 min');
    assert.equal(formatDuration(120), '2 h');
    assert.equal(formatDuration(0.2), 'under 1 min');
  });

  it('writes a moment in UTC words and a signed change in points', () => {
    assert.equal(formatDateTime(new Date('2026-12-07T19:34:56Z')), 'Dec 7, 2026, 7:34 PM UTC');
    assert.equal(formatChangePoints(24.26), '+24 points');
    assert.equal(formatChangePoints(-3.456), '-3.5 points');
    assert.equal(formatDurationRange(8.2, 15), '8–15 min');
    assert.equal(formatDurationRange(30, 75), '30 min to 1 h 15 min');
    assert.equal(formatChangePoints(1), '+1 point');
  });
});
