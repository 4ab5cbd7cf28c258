import type { TopLevelSpec } from 'vega-lite';
import type { ChartModel, ChartTable } from './chart-model.js';
import type { ChartLayout } from './theme.js';

/**
 * What each chart kind provides. `rows` turns the model into plot rows that already hold their display
 * strings; the spec plots exactly those rows and the table lists exactly those strings, which is how the
 * chart and its table always agree.
 */
export interface ChartKindDefinition<M extends ChartModel, R> {
  rows(model: M): R[];
  table(rows: R[], model: M): ChartTable;
  alt(rows: R[], model: M): string;
  spec(rows: R[], model: M, layout: ChartLayout): TopLevelSpec;
}

/** Vega-Lite inline data; plot rows are plain records of strings and numbers. */
export function inlineValues<R extends object>(
  rows: R[],
  extra: (row: R, index: number) => object = () => ({}),
) {
  return { values: rows.map((row, index) => ({ ...row, ...extra(row, index) })) };
}
