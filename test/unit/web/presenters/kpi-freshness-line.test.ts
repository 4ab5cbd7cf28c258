import assert from 'node:assert/strict';
import { freshnessLine } from '../../../../src/web/presenters/kpi-page-presenter.js';

describe('the KPI freshness line', () => {
  const base = {
    newestStored: new Date('2026-03-02T14:00:00Z'),
    generatedAt: new Date('2026-03-02T14:05:00Z'),
  };

  it('says a report read the replica and how far behind it was', () => {
    const line = freshnessLine({ ...base, source: 'replica', replicaLagSeconds: 3.2, fallbackReason: null });
    assert.match(line, /read from the reporting replica, 3 s behind the primary\.$/);
  });

  it('says why a report meant for the replica read the primary', () => {
    const line = freshnessLine({
      ...base,
      source: 'primary',
      replicaLagSeconds: null,
      fallbackReason: 'the replica is 42.0 s behind (more than 30 s)',
    });
    assert.match(
      line,
      /read from the primary database \(live\) because the replica is 42\.0 s behind \(more than 30 s\)\.$/,
    );
  });

  it('names the primary alone when no replica is configured', () => {
    const line = freshnessLine({ ...base, source: 'primary', replicaLagSeconds: null, fallbackReason: null });
    assert.match(line, /read from the primary database \(live\)\.$/);
  });
});
