import { parentPort } from 'node:worker_threads';
import type { ChartModel } from './chart-model.js';
import { renderChart } from './render.js';

/**
 * A chart-rendering worker thread (see render-pool.ts): renders each model it is sent with
 * `renderChart` and posts back the result, or the error message, under the task's id.
 */
const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread; use createChartRenderPool.');
port.on('message', (task: { id: number; chart: ChartModel }) => {
  renderChart(task.chart).then(
    (rendered) => port.postMessage({ id: task.id, rendered }),
    (err: unknown) =>
      port.postMessage({ id: task.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
