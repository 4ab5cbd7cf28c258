import type { JobQueue } from '../../storage/job-queue.js';
import type { TenantService } from '../../tenants/tenant-service.js';
import type { LearnerFlowService } from './learner-flow-service.js';
import type { AuSessionService } from '../cmi5/au-session-service.js';

export const ABANDON_QUEUE = 'learning-abandon-stale-sessions';

/** One run of the abandon job: every tenant's stale sessions end as abandoned. Returns how many. */
export async function abandonStaleSessions(deps: {
  tenants: TenantService;
  flow: LearnerFlowService;
}): Promise<number> {
  let ended = 0;
  for (const tenant of await deps.tenants.list()) ended += await deps.flow.abandonStale(tenant.id);
  return ended;
}

/**
 * One run of the job's cmi5 part: every tenant's AU sessions idle past the timeout are abandoned
 * (cmi5 9.3.6), once each. Returns how many.
 */
export async function abandonIdleAuSessions(deps: {
  tenants: TenantService;
  auSessions: Pick<AuSessionService, 'abandonIdle'>;
}): Promise<number> {
  let ended = 0;
  for (const tenant of await deps.tenants.list()) ended += await deps.auSessions.abandonIdle(tenant.id);
  return ended;
}

/**
 * Starts this process's learning worker on pg-boss: the cron tick (one job per tick across all servers)
 * ends sessions whose page stopped sending heartbeats (a closed tab, a sleeping laptop) as abandoned,
 * and cmi5 AU sessions idle past `learning.auSessionTimeoutSeconds`.
 */
export async function startLearningWorkers(
  deps: {
    tenants: TenantService;
    flow: LearnerFlowService;
    auSessions: Pick<AuSessionService, 'abandonIdle'>;
  },
  jobs: JobQueue,
  options: { abandonCron: string },
): Promise<void> {
  await jobs.work(ABANDON_QUEUE, async () => {
    await abandonStaleSessions(deps);
    await abandonIdleAuSessions(deps);
  });
  if (options.abandonCron) await jobs.schedule(ABANDON_QUEUE, options.abandonCron);
}
