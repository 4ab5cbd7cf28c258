import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices } from '../../../../src/services.js';
import { chartModelHash } from '../../../../src/reports/charts/chart-cache.js';
import type { ChartModel } from '../../../../src/reports/charts/chart-model.js';
import { renderChart } from '../../../../src/reports/charts/render.js';

const completion = (completed: number): ChartModel => ({
  kind: 'proportion-bars',
  id: 'completion',
  title: 'Completion by module',
  description: 'Share of assigned learners who completed each module.',
  rows: [
    { label: 'Module A', successes: completed, trials: 20, estimate: completed / 20, lower: 0.1, upper: 0.9 },
  ],
});

describe('Chart rendering cache', () => {
  const database = useTestDatabase();
  let tenantId: string;
  let otherTenantId: string;

  before(async () => {
    const { db } = database();
    const rows = await db
      .insertInto('tenant')
      .values([{ name: 'Chart cache A' }, { name: 'Chart cache B' }])
      .returning('id')
      .execute();
    [tenantId, otherTenantId] = rows.map((r) => r.id) as [string, string];
  });

  it('renders exactly what renderChart renders, and stores it under the model hash', async () => {
    const services = createServices({ db: database().db });
    const charts = [completion(12), { ...completion(3), id: 'small', suppressed: { minimumGroupSize: 5 } }];
    const got = await services.chartCache.renderAll(tenantId, charts);
    assert.deepEqual(got, await Promise.all(charts.map((c) => renderChart(c))));
    const { rows } = await sql<{ model_hash: string }>`
      SELECT model_hash FROM chart_render_cache WHERE tenant_id = ${tenantId} ORDER BY model_hash`.execute(
      database().db,
    );
    assert.deepEqual(
      rows.map((r) => r.model_hash),
      charts.map(chartModelHash).sort(),
    );
  });

  it("renders one chart as renderAll does, through the table (the program pages' ROI charts)", async () => {
    const { db } = database();
    const chart = completion(17);
    const services = createServices({ db });
    assert.deepEqual(await services.chartCache.render(tenantId, chart), await renderChart(chart));
    await sql`UPDATE chart_render_cache SET rendered = jsonb_set(rendered, '{alt}', '"from the table"')
              WHERE tenant_id = ${tenantId} AND model_hash = ${chartModelHash(chart)}`.execute(db);
    assert.equal((await services.chartCache.render(tenantId, chart)).alt, 'from the table');
  });

  it('serves a stored rendering from the table on the next request (any app server)', async () => {
    const { db } = database();
    const chart = completion(14);
    const first = createServices({ db });
    await first.chartCache.renderAll(tenantId, [chart]);
    // Mark the stored row, so a second service instance can only return it by reading the table.
    await sql`UPDATE chart_render_cache SET rendered = jsonb_set(rendered, '{alt}', '"from the table"')
              WHERE tenant_id = ${tenantId} AND model_hash = ${chartModelHash(chart)}`.execute(db);
    const [again] = await createServices({ db }).chartCache.renderAll(tenantId, [chart]);
    assert.equal(again!.alt, 'from the table');
  });

  it('draws again when the numbers change, and never shares renderings across tenants', async () => {
    const { db } = database();
    const services = createServices({ db });
    const [changed] = await services.chartCache.renderAll(tenantId, [completion(15)]);
    assert.deepEqual(changed, await renderChart(completion(15)));
    assert.notEqual(chartModelHash(completion(15)), chartModelHash(completion(14)));
    const [other] = await services.chartCache.renderAll(otherTenantId, [completion(14)]);
    assert.deepEqual(other, await renderChart(completion(14)));
    assert.notEqual(other!.alt, 'from the table');
  });
});
