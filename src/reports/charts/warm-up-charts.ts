import type { ChartModel } from './chart-model.js';

/**
 * One small model of each chart kind the reports draw: a chart thread draws each once at startup so
 * Vega's code for every mark is loaded and compiled before the first report needs it.
 */
export function warmUpCharts(): ChartModel[] {
  const base = { title: 'Warm-up', description: 'Drawn once when the server starts.' };
  return [
    {
      ...base,
      id: 'warm-proportion',
      kind: 'proportion-bars',
      rows: [{ label: 'Module', successes: 1, trials: 2, estimate: 0.5, lower: 0.1, upper: 0.9 }],
    },
    {
      ...base,
      id: 'warm-quantile',
      kind: 'quantile-bars',
      rows: [{ label: 'Module', median: 10, p90: 20, sessions: 3, estimatedSessions: 1 }],
    },
    {
      ...base,
      id: 'warm-likert',
      kind: 'likert',
      options: { scale: ['Disagree', 'Neutral', 'Agree'] },
      rows: [{ label: 'Item', counts: [1, 2, 3] }],
    },
    {
      ...base,
      id: 'warm-nps',
      kind: 'nps',
      rows: [
        {
          label: 'All',
          n: 10,
          promoters: 5,
          passives: 3,
          detractors: 2,
          promoterPercent: 50,
          passivePercent: 30,
          detractorPercent: 20,
          score: 30,
        },
      ],
    },
    {
      ...base,
      id: 'warm-trend',
      kind: 'trend',
      options: { unit: 'count', measure: 'Learners', series: ['Started'], events: [] },
      rows: [
        { week: '2026-01-05', series: 'Started', value: 1 },
        { week: '2026-01-12', series: 'Started', value: 2 },
      ],
    },
    {
      ...base,
      id: 'warm-groups',
      kind: 'group-comparison',
      options: { unit: 'proportion', groups: ['A', 'B'] },
      rows: [
        { measure: 'Module', group: 'A', estimate: 0.5, lower: 0.3, upper: 0.7, n: 10 },
        { measure: 'Module', group: 'B', estimate: 0.4, lower: 0.2, upper: 0.6, n: 10 },
      ],
    },
  ];
}
