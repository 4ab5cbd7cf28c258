import type { TrendModel } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { fitText, plotWidth } from './band-layers.js';
import { axisFormat, formatDate, formatValue, parseIsoDate } from './format.js';
import { colors, seriesColors, vegaConfig } from './theme.js';

interface TrendPlotRow {
  week: string;
  weekText: string;
  series: string;
  /** null for a week inside the range without data: the line breaks there. */
  value: number | null;
  valueText: string;
  /** The hover title of the point: "Started, week of Jan 5, 2026: 12". */
  tip: string;
}

const WEEK_MS = 7 * 86400000;

/** Weeks between the first and the last with data that have none (gaps), as YYYY-MM-DD. */
export function missingWeeks(weeks: string[]): string[] {
  const have = new Set(weeks);
  const times = weeks.map((w) => parseIsoDate(w).getTime());
  if (!times.length) return [];
  const missing: string[] = [];
  for (let t = Math.min(...times); t <= Math.max(...times); t += WEEK_MS) {
    const week = new Date(t).toISOString().slice(0, 10);
    if (!have.has(week)) missing.push(week);
  }
  return missing;
}

function seriesOf(model: TrendModel): string[] {
  return model.options.series ?? [...new Set(model.rows.map((r) => r.series))];
}

/**
 * Weekly trend lines (e.g. treatment and control) with confounding events drawn as dated vertical rules
 * labelled by name; the table lists one row per week and the events as notes.
 */
export const trend: ChartKindDefinition<TrendModel, TrendPlotRow> = {
  rows: (model) => {
    const gaps = missingWeeks([...new Set(model.rows.map((r) => r.week))]).flatMap((week) =>
      seriesOf(model).map((series) => ({ week, series, value: null })),
    );
    return [...model.rows, ...gaps]
      .sort((a, b) => a.week.localeCompare(b.week))
      .map((row) => {
        const valueText =
          row.value === null ? 'no data' : formatValue(row.value, model.options.unit, model.options.currency);
        return {
          week: row.week,
          weekText: formatDate(row.week),
          series: row.series,
          value: row.value,
          valueText,
          tip: `${row.series}, week of ${formatDate(row.week)}: ${valueText}`,
        };
      });
  },

  table: (rows, model) => {
    const series = seriesOf(model);
    const weeks = [...new Set(rows.map((r) => r.week))];
    const cell = new Map(rows.map((r) => [`${r.week}|${r.series}`, r.valueText]));
    return {
      caption: model.title,
      headers: [model.rowHeader ?? 'Week starting', ...series.map((s) => `${s}: ${model.options.measure}`)],
      rows: weeks.map((week) => [
        formatDate(week),
        ...series.map((s) => cell.get(`${week}|${s}`) ?? 'no data'),
      ]),
      notes: (model.options.events ?? []).map((e) => `Event on ${formatDate(e.date)}: ${e.label}`),
    };
  },

  alt: (rows, model) => {
    const series = seriesOf(model);
    const lines = series.map((s) => {
      const points = rows.filter((r) => r.series === s && r.value !== null);
      const first = points[0];
      const last = points[points.length - 1];
      return first && last
        ? `${s} from ${first.valueText} (${first.weekText}) to ${last.valueText} (${last.weekText})`
        : `${s} has no data`;
    });
    const events = model.options.events ?? [];
    const eventText = events.length
      ? ` Vertical lines mark ${events.length} ${events.length === 1 ? 'event' : 'events'}: ${events.map((e) => `${e.label} (${formatDate(e.date)})`).join(', ')}.`
      : '';
    return `Line chart of ${model.options.measure.toLowerCase()} by week: ${lines.join('; ')}.${eventText}`;
  },

  spec: (rows, model, layout) => {
    const series = seriesOf(model);
    const times = rows.map((r) => parseIsoDate(r.week).getTime());
    const mid = (Math.min(...times) + Math.max(...times)) / 2;
    const events = (model.options.events ?? []).map((e, i) => ({
      date: e.date,
      label: fitText(e.label, plotWidth(layout) / 2 - 12, 13),
      labelY: 8 + 18 * i,
      side: parseIsoDate(e.date).getTime() > mid ? 'right' : 'left',
    }));
    const x = {
      field: 'week',
      type: 'temporal',
      timeUnit: 'utcyearmonthdate',
      axis: {
        title: null,
        format: '%b %-d',
        // A param (lifted out before compiling): the compiled chart does not depend on the weeks.
        values: { expr: 'weekTicks' },
        labelAngle: 0,
      },
    } as const;
    // A white halo under each label keeps it readable where it crosses a line.
    const eventLabel = (side: 'left' | 'right', halo: boolean) => ({
      data: { values: events.filter((e) => e.side === side) },
      mark: {
        type: 'text' as const,
        align: side,
        dx: side === 'left' ? 4 : -4,
        baseline: 'top' as const,
        fontSize: 13,
        ...(halo
          ? { color: 'white', stroke: 'white', strokeWidth: 5, strokeJoin: 'round' as const }
          : { color: colors.event }),
      },
      encoding: {
        x: { field: 'date', type: 'temporal' as const, timeUnit: 'utcyearmonthdate' as const },
        y: { field: 'labelY', type: 'quantitative' as const, scale: null },
        text: { field: 'label' },
      },
    });
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: layout.width,
      height: layout.trendHeight,
      autosize: { type: 'fit-x', contains: 'padding' },
      config: vegaConfig,
      params: [{ name: 'weekTicks', value: weekTicks(rows, layout.name === 'wide' ? 8 : 4) }],
      layer: [
        {
          data: { values: rows },
          // Weeks without data (null) break the line instead of being bridged; each point's hover
          // title (<title>, added in accessible-svg.ts from its description) gives the exact value.
          mark: {
            type: 'line',
            aria: false,
            point: { size: 40, filled: true, aria: true },
            strokeWidth: 2.5,
            invalid: 'break-paths-show-domains',
          },
          encoding: {
            x,
            y: {
              field: 'value',
              type: 'quantitative',
              axis: {
                format: axisFormat(model.options.unit, model.options.currency),
                title: axisTitle(model),
                tickCount: 5,
                // Counts are whole: no ticks at 0.2, 0.4 that would read 0, 0, 0, 1, 1, 1.
                ...(model.options.unit === 'count' ? { tickMinStep: 1 } : {}),
              },
            },
            description: { field: 'tip' },
            color: {
              field: 'series',
              type: 'nominal',
              scale: { domain: series, range: seriesColors },
              legend:
                series.length > 1
                  ? { columns: layout.legendColumns, symbolType: 'stroke', symbolStrokeWidth: 3 }
                  : null,
            },
            strokeDash: {
              field: 'series',
              type: 'nominal',
              scale: {
                domain: series,
                range: [
                  [1, 0],
                  [6, 3],
                  [2, 2],
                  [8, 2, 2, 2],
                ],
              },
              // Dashes tell the series apart without colour; the same legend spec merges both keys.
              legend:
                series.length > 1
                  ? { columns: layout.legendColumns, symbolType: 'stroke', symbolStrokeWidth: 3 }
                  : null,
            },
          },
        },
        ...(events.length
          ? [
              {
                data: { values: events },
                mark: { type: 'rule' as const, color: colors.event, strokeWidth: 2, strokeDash: [4, 3] },
                encoding: {
                  x: { field: 'date', type: 'temporal' as const, timeUnit: 'utcyearmonthdate' as const },
                },
              },
              eventLabel('left', true),
              eventLabel('right', true),
              eventLabel('left', false),
              eventLabel('right', false),
            ]
          : []),
      ],
    };
  },
};

/** Tick positions (ms, UTC) on data weeks only, every k-th week so that at most `max` labels show. */
function weekTicks(rows: TrendPlotRow[], max: number): number[] {
  const weeks = [...new Set(rows.filter((r) => r.value !== null).map((r) => r.week))].map((w) =>
    parseIsoDate(w).getTime(),
  );
  const step = Math.ceil(weeks.length / max);
  return weeks.filter((_, i) => i % step === 0);
}

/** The value axis title names the unit where the tick labels do not show it. */
function axisTitle(model: TrendModel): string {
  const { unit, measure, currency } = model.options;
  if (unit === 'minutes') return `${measure} (minutes)`;
  if (unit === 'money' && currency && currency !== 'USD') return `${measure} (${currency})`;
  return measure;
}
