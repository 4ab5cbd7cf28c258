/**
 * Keeps the KPI facts and rollups up to date from the capture outbox (migrations 0091, 0092; issue #17): the
 * storing transaction only notes which statements changed, and this drains those notes per tenant
 * outside the request. `poke` after a commit drains in the background; `drain` resolves once every
 * statement committed before the call is in the facts and rollups (reports call it first, so a
 * report includes everything committed before it started); `start` also sweeps every tenant at an
 * interval, for writes no one poked about (another server that stopped, Yardstick's own capture).
 */

/** The outbox, as the drainer needs it (KpiOutboxRepository). */
export interface KpiOutboxPort {
  /** Drains one part of the tenant's outbox; 0 when the part was empty. */
  drain(tenantId: string, part: number, most: number): Promise<number>;
  pendingTenants(limit: number): Promise<string[]>;
}

export interface KpiFactDrainer {
  /** Resolves when every statement of the tenant committed before this call is captured. */
  drain(tenantId: string): Promise<void>;
  /** Drains the tenant in the background (errors go to onError). */
  poke(tenantId: string): void;
  /** Sweeps every tenant with waiting statements every `intervalMs` until stop(). */
  start(intervalMs: number): void;
  /** Stops the sweep and waits for the drains under way. */
  stop(): Promise<void>;
}

interface Slot {
  running: Promise<void> | null;
  queued: Promise<void> | null;
}

export function createKpiFactDrainer(deps: {
  outbox: KpiOutboxPort;
  /** Outbox rows per drain transaction (each row: the statements of one INSERT). */
  rowsPerDrain?: number;
  /** Parts of a tenant's outbox, drained at once (OUTBOX_PARTS; default 1). */
  parts?: number;
  onError?: (err: unknown) => void;
}): KpiFactDrainer {
  const most = deps.rowsPerDrain ?? 200;
  const parts = deps.parts ?? 1;
  const onError = deps.onError ?? (() => {});
  const slots = new Map<string, Slot>();
  let timer: NodeJS.Timeout | undefined;

  /** Every part at once (a learner's attempt is in one part), each until it is empty. */
  async function drainUntilEmpty(tenantId: string): Promise<void> {
    await Promise.all(
      Array.from({ length: parts }, async (_, part) => {
        while ((await deps.outbox.drain(tenantId, part, most)) > 0);
      }),
    );
  }

  /**
   * One drain loop per tenant at a time. A call while one runs waits for the next loop, which starts
   * after the running one ends: the running loop may have looked at the outbox before the caller's
   * commit. Concurrent callers share that next loop.
   */
  function drain(tenantId: string): Promise<void> {
    let slot = slots.get(tenantId);
    if (!slot) {
      slot = { running: null, queued: null };
      slots.set(tenantId, slot);
    }
    const s = slot;
    if (!s.running) {
      s.running = drainUntilEmpty(tenantId).finally(() => {
        s.running = null;
        if (!s.queued) slots.delete(tenantId);
      });
      return s.running;
    }
    s.queued ??= s.running
      .catch(() => {})
      .then(() => {
        s.queued = null;
        return drain(tenantId);
      });
    return s.queued;
  }

  async function sweep(): Promise<void> {
    for (const tenantId of await deps.outbox.pendingTenants(100)) await drain(tenantId);
  }

  return {
    drain,
    poke(tenantId) {
      drain(tenantId).catch(onError);
    },
    start(intervalMs) {
      if (timer) return;
      timer = setInterval(() => void sweep().catch(onError), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.allSettled([...slots.values()].flatMap((s) => [s.running, s.queued]));
    },
  };
}
