import PgBoss from 'pg-boss';
import { CompiledQuery, type Kysely } from 'kysely';
import { isRetryableTransactionError } from './db-errors.js';

/** Tries of createQueue when it deadlocks with another server creating the same queue. */
const CREATE_QUEUE_ATTEMPTS = 5;

/** A durable job: data is plain JSON; a handler that throws is retried with exponential backoff. */
export interface JobQueue {
  send(
    queue: string,
    data: object,
    options?: { retryLimit?: number; retryDelaySeconds?: number; singletonKey?: string },
  ): Promise<string | null>;
  /**
   * Sends a job inside the caller's transaction (the outbox pattern): the job exists exactly when the
   * transaction commits, so work that a commit earns is never lost between the commit and the queue.
   */
  sendInTransaction<DB>(
    trx: Kysely<DB>,
    queue: string,
    data: object,
    options?: { retryLimit?: number; retryDelaySeconds?: number },
  ): Promise<string | null>;
  work(queue: string, handler: (data: object) => Promise<void>): Promise<void>;
  /** A cron schedule (UTC) that sends `data` to `queue`; one job per tick across all servers. */
  schedule(queue: string, cron: string, data?: object): Promise<void>;
  stop(): Promise<void>;
}

/** pg-boss' own script that creates its schema, run once by the database owner (docs/security.md). */
export function jobQueueInstallScript(schema = 'pgboss'): string {
  return PgBoss.getConstructionPlans(schema);
}

/**
 * Background work on pg-boss in Yardstick's own PostgreSQL (its tables in the `pgboss` schema):
 * several app servers share the queues, a job is fetched by one worker (SKIP LOCKED), and a job
 * whose server died is retried after it expires, so nothing runs twice at once or is lost.
 */
export async function openJobQueue(
  url: string,
  options: { schema?: string; pollingIntervalSeconds?: number } = {},
): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: url,
    schema: options.schema ?? 'pgboss',
    application_name: 'yardstick-jobs',
    max: 4,
  });
  boss.on('error', () => {
    /* pg-boss reports maintenance errors here and retries itself; a job's own error fails that job */
  });
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (name: string) => {
    if (created.has(name)) return;
    // App servers starting together create the same queues at once, and pg-boss' createQueue (a
    // partition per queue) can deadlock with itself then; the loser retries and finds it made.
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(name);
        break;
      } catch (err) {
        if (!isRetryableTransactionError(err) || attempt >= CREATE_QUEUE_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
    created.add(name);
  };
  const polling = options.pollingIntervalSeconds ?? 2;
  return {
    async send(queue, data, o = {}) {
      await ensureQueue(queue);
      return boss.send(queue, data, {
        retryLimit: o.retryLimit ?? 5,
        retryDelay: o.retryDelaySeconds ?? 5,
        retryBackoff: true,
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
      });
    },
    async sendInTransaction(trx, queue, data, o = {}) {
      // The queue row is pg-boss' own and committed once; only the job rides on the transaction.
      await ensureQueue(queue);
      const db = {
        async executeSql(text: string, values: unknown[]) {
          const result = await trx.executeQuery(CompiledQuery.raw(text, values));
          return { rows: result.rows as unknown[] };
        },
      };
      return boss.send(queue, data, {
        retryLimit: o.retryLimit ?? 5,
        retryDelay: o.retryDelaySeconds ?? 5,
        retryBackoff: true,
        db,
      });
    },
    async work(queue, handler) {
      await ensureQueue(queue);
      await boss.work(queue, { pollingIntervalSeconds: polling, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data as object);
      });
    },
    async schedule(queue, cron, data = {}) {
      await ensureQueue(queue);
      await boss.schedule(queue, cron, data, { tz: 'UTC' });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
