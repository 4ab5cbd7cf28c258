import { ValidationError } from '../errors.js';
import type { ProgramRepository } from '../storage/repositories/program-repository.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { ProgramForecastService } from './program-forecast-service.js';
import type { ProgramRoiReportService } from './program-roi-report-service.js';
import type { Program } from '../cohorts/model.js';

/** Queue of the daily tick that refreshes every program whose cadence falls due that day. */
export const PROGRAM_REFRESH_QUEUE = 'program-refresh';

/**
 * Whether a cadence falls due on `day` (YYYY-MM-DD, UTC): daily every day, weekly on Mondays, monthly
 * on the 1st, quarterly on 1 January, April, July and October, yearly on 1 January.
 */
export function cadenceDue(cadence: string, day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  const first = d.getUTCDate() === 1;
  switch (cadence) {
    case 'daily':
      return true;
    case 'weekly':
      return d.getUTCDay() === 1;
    case 'monthly':
      return first;
    case 'quarterly':
      return first && d.getUTCMonth() % 3 === 0;
    case 'yearly':
      return first && d.getUTCMonth() === 0;
    default:
      return false;
  }
}

export interface RefreshOutcome {
  tenantId: string;
  programId: string;
  program: string;
  kind: 'leading' | 'lagging';
  /** taken; already (a snapshot for that day exists: a retried job); skipped (with the reason). */
  result: 'taken' | 'already' | 'skipped';
  reason?: string;
}

/**
 * The scheduled refresh, so a board can later see what was reported when: on each program's leading
 * cadence (weekly by default) a snapshot of the report as it stands; on its lagging cadence (quarterly)
 * the effects are first re-estimated from the outcome data, a forecast version added, then the snapshot
 * taken. One snapshot per program, kind and day, so a retried job adds nothing.
 */
export function createProgramRefreshService(deps: {
  tenants: TenantService;
  programs: ProgramRepository;
  roiReports: ProgramRoiReportService;
  forecasts: ProgramForecastService;
}) {
  async function refresh(
    tenantId: string,
    program: Program,
    kind: 'leading' | 'lagging',
    day: string,
  ): Promise<RefreshOutcome> {
    const base = { tenantId, programId: program.id, program: program.name, kind };
    const existing = await deps.roiReports.snapshots(tenantId, program.id);
    if (existing.some((s) => s.kind === kind && s.scheduledFor === day))
      return { ...base, result: 'already' };
    try {
      if (kind === 'lagging') await deps.forecasts.run(tenantId, program, 'schedule');
      const row = await deps.roiReports.scheduledSnapshot(tenantId, program, { kind, scheduledFor: day });
      return { ...base, result: row ? 'taken' : 'already' };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return { ...base, result: 'skipped', reason: err.message };
    }
  }

  return {
    refresh,
    /** Every tenant's programs whose leading or lagging cadence falls due on `day` (YYYY-MM-DD, UTC). */
    async runDue(day: string): Promise<RefreshOutcome[]> {
      const out: RefreshOutcome[] = [];
      for (const tenant of await deps.tenants.list()) {
        for (const program of await deps.programs.list(tenant.id)) {
          if (cadenceDue(program.laggingCadence, day))
            out.push(await refresh(tenant.id, program, 'lagging', day));
          if (cadenceDue(program.leadingCadence, day))
            out.push(await refresh(tenant.id, program, 'leading', day));
        }
      }
      return out;
    },
  };
}

export type ProgramRefreshService = ReturnType<typeof createProgramRefreshService>;
