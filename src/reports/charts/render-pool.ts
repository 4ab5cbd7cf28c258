import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChartModel, RenderedChart } from './chart-model.js';
import { warmUpCharts } from './warm-up-charts.js';

/** Renders chart models; `close` ends whatever threads it runs. */
export interface ChartRenderer {
  render(chart: ChartModel): Promise<RenderedChart>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(r: RenderedChart): void; reject(e: Error): void }>;
}

/**
 * A pool of `size` worker threads that run `renderChart` (render-worker.ts), so drawing a page's
 * charts (Vega is CPU-bound, 10-40 ms a chart) runs on the idle cores and never blocks the event loop
 * that serves LRS requests. Each task goes to the worker with the fewest in flight. A worker that
 * dies fails its own tasks with the reason and is replaced. The threads are unref'd: an idle pool
 * does not keep the process alive. The output is byte-identical to `renderChart` in the main thread.
 */
export function createChartRenderPool(size: number): ChartRenderer {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`a chart render pool needs 1 or more threads, not ${size}`);
  // Built, the worker is a .js file. Run from the TypeScript sources (npm start, tests, benchmarks run
  // through tsx), a worker thread does not inherit tsx's loader, so a one-line bootstrap registers it.
  const typescript = extname(fileURLToPath(import.meta.url)) === '.ts';
  const script = new URL(`./render-worker${typescript ? '.ts' : '.js'}`, import.meta.url);
  const start = () =>
    typescript
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); })`,
          { eval: true },
        )
      : new Worker(script);
  let nextId = 1;
  let closed = false;
  const slots: Slot[] = [];

  const spawn = (index: number): Slot => {
    const worker = start();
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (m: { id: number; rendered?: RenderedChart; error?: string }) => {
      const task = slot.pending.get(m.id);
      if (!task) return;
      slot.pending.delete(m.id);
      if (m.error !== undefined) task.reject(new Error(m.error));
      else task.resolve(m.rendered!);
    });
    const fail = (reason: string) => {
      for (const task of slot.pending.values())
        task.reject(
          new Error(`the chart rendering thread stopped (${reason}); reload the page to draw again`),
        );
      slot.pending.clear();
      if (!closed && slots[index] === slot) slots[index] = spawn(index);
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    return slot;
  };
  for (let i = 0; i < size; i++) slots.push(spawn(i));

  return {
    render(chart) {
      if (closed) return Promise.reject(new Error('the chart render pool is closed'));
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<RenderedChart>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.ref();
        slot.worker.postMessage({ id, chart });
      }).finally(() => {
        if (slot.pending.size === 0) slot.worker.unref();
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/**
 * Draws one small chart of each kind on each of `threads` threads, so every thread loads Vega and
 * compiles its code for every mark before the first report needs it (a cold thread takes about a second).
 * Failures are ignored here: a real render reports them.
 */
export async function warmChartRenderer(renderer: ChartRenderer, threads: number): Promise<void> {
  // Sent all at once, the copies of a model go one to each thread (each task goes to the thread with
  // the fewest in flight).
  await Promise.allSettled(
    warmUpCharts().flatMap((chart) => Array.from({ length: threads }, () => renderer.render(chart))),
  );
}
