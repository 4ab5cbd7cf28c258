import type { JobQueue } from '../storage/job-queue.js';
import type { LtiServices } from './lti-services.js';
import { PASSBACK_QUEUE } from './grades/grade-service.js';
import { ROSTER_QUEUE, ROSTER_SCHEDULE_QUEUE } from './roster/roster-service.js';

/**
 * Starts this process's LTI workers on pg-boss: grade passback, roster sync, and the roster schedule
 * (pg-boss sends one job per cron tick whatever the number of servers).
 */
export async function startLtiWorkers(
  lti: LtiServices,
  jobs: JobQueue,
  options: { rosterSyncCron: string },
): Promise<void> {
  await jobs.work(PASSBACK_QUEUE, (data) => lti.grades.deliver(data as { tenantId: string; id: string }));
  await jobs.work(ROSTER_QUEUE, async (data) => {
    const d = data as { tenantId: string; contextId: string };
    await lti.rosters.sync(d.tenantId, d.contextId);
  });
  await jobs.work(ROSTER_SCHEDULE_QUEUE, async () => {
    await lti.rosters.queueAll();
  });
  if (options.rosterSyncCron) await jobs.schedule(ROSTER_SCHEDULE_QUEUE, options.rosterSyncCron);
}
