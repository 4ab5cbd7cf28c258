import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { createKpiRepository } from '../../storage/repositories/kpi-repository.js';
import type { KpiScope } from './model.js';

/** A tenant no data belongs to: the warm-up queries find nothing. */
const NO_TENANT = '00000000-0000-0000-0000-000000000000';

/**
 * Opens `connections` connections of the report pool at once and runs every KPI report query on each
 * for a tenant with no data. A new PostgreSQL backend loads the catalog entries of every table, index,
 * type and operator a query touches the first time it plans one (tens of milliseconds for the report's
 * joins); doing that when the server starts, on connections the pool then keeps, spares the first
 * reports after a start. The queries read nothing (no tenant has that id) and write nothing.
 */
export async function warmReportConnections(db: Kysely<Database>, connections: number): Promise<void> {
  const course: KpiScope = { tenantId: NO_TENANT, courseId: NO_TENANT };
  const ranged: KpiScope = { ...course, from: new Date('2026-01-01'), to: new Date('2026-02-01') };
  await Promise.all(
    Array.from({ length: connections }, () =>
      // db.connection() holds one pool connection for the callback: each runs on its own backend.
      db.connection().execute(async (one) => {
        const kpis = createKpiRepository(one);
        for (const scope of [course, { ...course, cohortId: NO_TENANT }, ranged]) {
          await kpis.modules(scope);
          await kpis.programsOf(scope);
          await kpis.rosterSize(scope);
          await kpis.moduleCounts(scope);
          await kpis.moduleActivity(scope);
          await kpis.scorePairs(scope);
          await kpis.scoreMoments(scope);
          await kpis.itemAnalysis(scope);
          await kpis.itemAnalysis(scope, [NO_TENANT, NO_TENANT]);
          await kpis.surveyAnswers(scope);
          await kpis.observations(scope);
          await kpis.weekly(scope);
          await kpis.enrollmentAround(scope, new Date('2026-01-15'), 14);
          await kpis.freshness(scope);
          await kpis.learnerSummaries(scope, { limit: 50, offset: 0 });
          // The course report's learner table: its first page, then its learners' scores.
          const now = new Date();
          const first = { show: 'all', sort: 'name', page: 1, size: 50, now } as const;
          await kpis.learnerPage(scope, first, { modules: 0, now });
          await kpis.scorePairs({ ...scope, learnerUserIds: [NO_TENANT] });
        }
      }),
    ),
  );
}
