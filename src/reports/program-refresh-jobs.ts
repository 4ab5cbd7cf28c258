import type { JobQueue } from '../storage/job-queue.js';
import { PROGRAM_REFRESH_QUEUE, type ProgramRefreshService } from './program-refresh-service.js';

/**
 * The job handler of the daily refresh tick: `{ day?: 'YYYY-MM-DD' }`, the current UTC day when
 * absent. Exported so tests run it directly instead of waiting for cron.
 */
export function programRefreshHandler(
  refresh: ProgramRefreshService,
  now: () => Date = () => new Date(),
): (data: object) => Promise<void> {
  return async (data) => {
    const day = (data as { day?: string }).day ?? now().toISOString().slice(0, 10);
    await refresh.runDue(day);
  };
}

/** Starts the refresh worker and its daily schedule (one job per tick across all servers). */
export async function startProgramRefreshWorkers(
  refresh: ProgramRefreshService,
  jobs: JobQueue,
  options: { refreshCron: string },
): Promise<void> {
  await jobs.work(PROGRAM_REFRESH_QUEUE, programRefreshHandler(refresh));
  if (options.refreshCron) await jobs.schedule(PROGRAM_REFRESH_QUEUE, options.refreshCron);
}
