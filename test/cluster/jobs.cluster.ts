import assert from 'node:assert/strict';
import pg from 'pg';
import { testCluster } from './support/test-cluster.js';
import { launchAcross, testPlatform } from './support/test-platform.js';
import { summaryLine } from './support/statement-load.js';
import { waitFor } from '../../deploy/cluster/processes.js';
import { ROSTER_QUEUE, ROSTER_SCHEDULE_QUEUE } from '../../src/lti/roster/roster-service.js';

/** pg-boss' own queue through which a cron tick becomes a job (pg-boss/src/timekeeper.js). */
const SEND_IT = '__pgboss__send-it';

interface JobRow {
  name: string;
  state: string;
  retry_count: number;
  created_on: Date;
  started_on: Date | null;
  context: string | null;
}

describe('cluster scheduled jobs', function () {
  this.timeout(180000);

  it('runs each roster sync tick once across both app servers, and syncs each course once per tick', async function () {
    const cluster = testCluster(this);
    const { urls } = cluster.state;
    const { lms } = await testPlatform(cluster);
    // A course to sync: its launch records the NRPS memberships URL (already there after lti-session).
    const { res } = await launchAcross(
      lms,
      urls.front,
      urls.apps.app1,
      urls.apps.app2,
      'ana',
      'safety-101',
      'safety-101-module-1',
    );
    assert.equal(res.status, 303);

    const db = new pg.Client({ connectionString: urls.migration });
    await db.connect();
    try {
      const course = (
        await db.query<{ id: string; created_at: Date }>(
          `SELECT id::text, created_at FROM course_context WHERE tenant_id = $1 AND context_id = 'safety-101'`,
          [cluster.lrs.tenantId],
        )
      ).rows[0]!;
      // Every app server runs LTI_ROSTER_SYNC_CRON '* * * * *' (test-cluster.ts); wait for two ticks that
      // found the course and for their syncs to end.
      const jobs = await waitFor(
        'two roster sync ticks after the course appeared, all their jobs finished',
        async () => {
          const rows = await jobRows(db, cluster.lrs.tenantId);
          const ticks = rows.filter(
            (j) => j.name === ROSTER_SCHEDULE_QUEUE && j.started_on! > course.created_at,
          );
          const busy = rows.some((j) => ['created', 'retry', 'active'].includes(j.state));
          return ticks.length >= 2 && !busy ? rows : undefined;
        },
        150000,
        1000,
      );
      const memberPages = lms.calls.memberPages;

      const ticks = jobs.filter((j) => j.name === ROSTER_SCHEDULE_QUEUE);
      const gaps = ticks.slice(1).map((j, i) => (+j.created_on - +ticks[i]!.created_on) / 1000);
      const ticksSinceCourse = ticks.filter((j) => j.started_on! > course.created_at).length;
      const syncs = jobs.filter((j) => j.name === ROSTER_QUEUE && j.context === course.id);
      process.stdout.write(
        `      ${ticks.length} ticks since the cluster started (${ticksSinceCourse} with the course), gaps ${gaps.map(Math.round).join(', ')} s; ${syncs.length} course syncs, ${memberPages} membership requests at the LMS\n`,
      );
      const line = summaryLine(
        'jobs',
        ticksSinceCourse,
        {
          present: syncs.length,
          duplicated: Math.max(0, syncs.length - ticksSinceCourse),
          lost: Math.max(0, ticksSinceCourse - syncs.length),
        },
        0,
      );
      process.stdout.write(`${line}\n`);
      // Both servers' pg-boss cron monitors look at the schedule; a tick becomes one "send it" job
      // (one per minute window) and that one job of the queue.
      const sends = await db.query<{ tick: Date; n: string }>(
        `SELECT coalesce(singleton_on, date_trunc('minute', created_on)) AS tick, count(*) AS n
           FROM (SELECT singleton_on, created_on, data FROM pgboss.job WHERE name = $1
                 UNION ALL SELECT singleton_on, created_on, data FROM pgboss.archive WHERE name = $1) j
          WHERE data->>'name' = $2 GROUP BY 1`,
        [SEND_IT, ROSTER_SCHEDULE_QUEUE],
      );
      assert.deepEqual(
        sends.rows.filter((r) => Number(r.n) > 1),
        [],
        'no tick sent twice (two servers run the cron monitor)',
      );
      assert.equal(ticks.length, sends.rows.length, 'each tick sent became one job');
      assert.deepEqual(
        jobs.filter((j) => j.state !== 'completed' || j.retry_count > 0).map((j) => j.name),
        [],
        'every job ran once and completed',
      );
      assert.equal(syncs.length, ticksSinceCourse, 'one sync of the course per tick');
      assert.equal(memberPages, syncs.length, 'the LMS saw one roster request per sync');
    } finally {
      await db.end();
    }
  });
});

/** pg-boss' jobs of the roster schedule and of this tenant's roster syncs (live and archived). */
async function jobRows(db: pg.Client, tenantId: string): Promise<JobRow[]> {
  const columns = `name, state, retry_count, created_on, started_on, data->>'contextId' AS context`;
  const where = `(name = $1 OR (name = $2 AND data->>'tenantId' = $3))`;
  const { rows } = await db.query<JobRow>(
    `SELECT ${columns} FROM pgboss.job WHERE ${where}
     UNION ALL SELECT ${columns} FROM pgboss.archive WHERE ${where}
     ORDER BY created_on`,
    [ROSTER_SCHEDULE_QUEUE, ROSTER_QUEUE, tenantId],
  );
  return rows;
}
