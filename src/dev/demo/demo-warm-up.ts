import type { Services } from '../../services.js';
import { reportCharts } from '../../web/presenters/kpi-charts.js';
import { PAGE_SIZE } from '../../web/presenters/pager.js';

/**
 * Builds every demo course's report once as its page does (the report in two stages, its charts
 * through the chart cache, the learner table's first page), so the instructor's first report after a start finds its
 * charts drawn and cached, the report code compiled and the data in PostgreSQL's buffers (1.6-1.7 s
 * for that first report without this, measured on the shared two-core machine). Returns how many
 * courses it read.
 */
export async function warmDemoReports(services: Services, tenantName: string): Promise<number> {
  const tenant = await services.tenants.getByName(tenantName);
  const courses = await services.lti.courses.list(tenant.id);
  for (const course of courses) {
    const scope = { tenantId: tenant.id, courseId: course.id };
    // The options the page passes for a course in no program (no campaign date).
    const { overview, report } = services.kpiReports.buildInStages(scope, { campaignDate: undefined });
    await Promise.all([
      report,
      overview.then((o) => services.chartCache.renderAll(tenant.id, reportCharts(o))),
      // The learner table's default view (src/web/routes/kpi/kpi-report-pages.ts): one page, by name.
      services.kpiReports.learnerPage(scope, {
        show: 'all',
        sort: 'name',
        page: 1,
        size: PAGE_SIZE,
        now: new Date(),
      }),
    ]);
  }
  return courses.length;
}
