import { createHash } from 'node:crypto';
import type { ChartCacheRepository } from '../../storage/repositories/chart-cache-repository.js';
import type { ChartModel, RenderedChart } from './chart-model.js';
import { renderChart } from './render.js';

/**
 * Bump when the chart code draws differently for the same model (kinds, theme, accessible SVG), so
 * renderings cached by the previous code are no longer found.
 */
export const CHART_RENDER_VERSION = 3;

/** How long a cached rendering is kept, days; a report whose data changed draws under a new key anyway. */
export const CHART_CACHE_KEEP_DAYS = 30;

/** The cache key of a chart model: SHA-256 (hex) of the renderer version and the model's JSON. */
export function chartModelHash(chart: ChartModel): string {
  return createHash('sha256')
    .update(`${CHART_RENDER_VERSION}\n${JSON.stringify(chart)}`)
    .digest('hex');
}

export interface ChartCacheService {
  /**
   * Renders the charts of one page as `renderChart` would, reusing renderings stored for the same
   * model (same numbers, titles and ids) by any app server; only the missing ones are drawn, then
   * stored. Results keep the order of `charts`.
   */
  renderAll(tenantId: string, charts: ChartModel[]): Promise<RenderedChart[]>;
  /** One chart, as `renderAll` draws it. */
  render(tenantId: string, chart: ChartModel): Promise<RenderedChart>;
}

/** Charts rendered once per model and kept in a table (no process memory: several stateless servers). */
export function createChartCacheService(deps: {
  cache: ChartCacheRepository;
  /** How a missing chart is drawn; default `renderChart` in this thread. */
  render?: (chart: ChartModel) => Promise<RenderedChart>;
}): ChartCacheService {
  const render = deps.render ?? renderChart;
  const service: ChartCacheService = {
    async render(tenantId, chart) {
      const [rendered] = await service.renderAll(tenantId, [chart]);
      return rendered as RenderedChart;
    },
    async renderAll(tenantId, charts) {
      const hashes = charts.map(chartModelHash);
      const found = await deps.cache.find(tenantId, [...new Set(hashes)]);
      // The misses, each model drawn once, all at once (a render pool draws them side by side).
      const drawing = new Map<string, Promise<RenderedChart>>();
      charts.forEach((chart, i) => {
        const hash = hashes[i]!;
        if (!found.has(hash) && !drawing.has(hash)) drawing.set(hash, render(chart));
      });
      const fresh = await Promise.all(
        [...drawing].map(async ([hash, rendering]) => ({ hash, rendered: await rendering })),
      );
      for (const f of fresh) found.set(f.hash, f.rendered);
      await deps.cache.store(tenantId, fresh, CHART_CACHE_KEEP_DAYS);
      return hashes.map((hash) => found.get(hash) as RenderedChart);
    },
  };
  return service;
}
