import type { JobQueue } from '../storage/job-queue.js';
import { RETENTION_QUEUE, type RetentionService } from './retention-service.js';

/** The sweep's job handler (`{}`): exported so tests run it directly instead of waiting for cron. */
export function retentionSweepHandler(retention: RetentionService): (data: object) => Promise<void> {
  return async () => void (await retention.sweep());
}

/** Starts the sweep worker and its schedule (one job per tick across all servers). */
export async function startRetentionWorkers(
  retention: RetentionService,
  jobs: JobQueue,
  options: { sweepCron: string },
): Promise<void> {
  await jobs.work(RETENTION_QUEUE, retentionSweepHandler(retention));
  if (options.sweepCron) await jobs.schedule(RETENTION_QUEUE, options.sweepCron);
}
