import assert from 'node:assert/strict';
import { createKpiFactDrainer, type KpiOutboxPort } from '../../../../src/reports/kpi/kpi-fact-drainer.js';

/**
 * An outbox whose drain calls wait for `releaseAll()`; `waiting` counts the outbox rows left per
 * tenant. Like the SQL, a call takes the rows there when it starts (its snapshot), not those added
 * while it waits.
 */
function heldOutbox() {
  const waiting = new Map<string, number>();
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  const outbox: KpiOutboxPort = {
    async drain(tenantId, _part, most) {
      calls.push(tenantId);
      const n = Math.min(most, waiting.get(tenantId) ?? 0);
      waiting.set(tenantId, (waiting.get(tenantId) ?? 0) - n);
      await new Promise<void>((r) => gates.push(r));
      return n;
    },
    async pendingTenants() {
      return [...waiting].filter(([, n]) => n > 0).map(([t]) => t);
    },
  };
  const releaseAll = async () => {
    for (let i = 0; i < 100 && (gates.length || i < 3); i++) {
      gates.splice(0).forEach((open) => open());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { outbox, waiting, calls, releaseAll };
}

describe('the KPI fact drainer', () => {
  it('drains a tenant until its outbox call finds nothing left', async () => {
    const { outbox, waiting, calls, releaseAll } = heldOutbox();
    waiting.set('t1', 5);
    const drainer = createKpiFactDrainer({ outbox, rowsPerDrain: 2 });
    const done = drainer.drain('t1');
    await releaseAll();
    await done;
    assert.equal(waiting.get('t1'), 0);
    // 2 + 2 + 1, then a call that finds nothing.
    assert.equal(calls.length, 4);
  });

  it('makes a caller that arrives during a drain wait for a drain that starts after it', async () => {
    const { outbox, waiting, calls, releaseAll } = heldOutbox();
    const drainer = createKpiFactDrainer({ outbox });
    const first = drainer.drain('t1');
    await new Promise((r) => setImmediate(r));
    // Committed after the running drain looked at the outbox (its call is held).
    waiting.set('t1', 3);
    const second = drainer.drain('t1');
    const third = drainer.drain('t1');
    await releaseAll();
    await Promise.all([first, second, third]);
    assert.equal(waiting.get('t1'), 0, 'the statements committed before the second call are drained');
    // The running loop's one empty call, then one loop shared by the second and third callers (3, then 0).
    assert.equal(calls.length, 3);
  });

  it('drains every part of a tenant at once', async () => {
    const seen: number[] = [];
    let open = 0;
    let most = 0;
    const drainer = createKpiFactDrainer({
      parts: 4,
      outbox: {
        drain: async (_tenantId, part) => {
          seen.push(part);
          open++;
          most = Math.max(most, open);
          await new Promise((r) => setImmediate(r));
          open--;
          return 0;
        },
        pendingTenants: async () => [],
      },
    });
    await drainer.drain('t1');
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
    assert.equal(most, 4);
  });

  it('keeps tenants apart and reports a failed background drain to onError', async () => {
    const errors: unknown[] = [];
    const drainer = createKpiFactDrainer({
      outbox: {
        drain: async (tenantId) => {
          if (tenantId === 'bad') throw new Error('connection lost');
          return 0;
        },
        pendingTenants: async () => [],
      },
      onError: (err) => errors.push(err),
    });
    drainer.poke('bad');
    await drainer.drain('good');
    await drainer.stop();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /connection lost/);
  });
});
