import type { HealthRepository } from '../storage/repositories/health-repository.js';

export type DatabaseCheck =
  { ok: true; serverVersion: string; latencyMs: number } | { ok: false; error: string };

/** How far KPI capture runs behind ingest; `lagging` past the service's limit. */
export interface KpiCaptureCheck {
  /** Statements waiting in the capture outbox (counted over a bounded number of outbox rows). */
  behind: number;
  lagging: boolean;
}

export interface HealthService {
  checkDatabase(): Promise<DatabaseCheck>;
  checkKpiCapture(): Promise<KpiCaptureCheck>;
}

/** Statements behind past which KPI capture is reported lagging (reports lag ingest by that much). */
export const KPI_CAPTURE_LAG_LIMIT = 10_000;
/** Outbox rows a readiness probe reads at most. */
const OUTBOX_PROBE_ROWS = 20_000;

/** Readiness: can we run a query within `timeoutMs`? */
export function createHealthService(deps: {
  health: HealthRepository;
  timeoutMs?: number;
  kpiCaptureLagLimit?: number;
}): HealthService {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const lagLimit = deps.kpiCaptureLagLimit ?? KPI_CAPTURE_LAG_LIMIT;
  return {
    async checkKpiCapture() {
      const behind = await deps.health.kpiCaptureBehind(OUTBOX_PROBE_ROWS);
      return { behind, lagging: behind > lagLimit };
    },
    async checkDatabase() {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        const serverVersion = await Promise.race([deps.health.serverVersion(), timeout]);
        return { ok: true, serverVersion, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch (err) {
        return { ok: false, error: `the database does not answer: ${(err as Error).message}` };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
