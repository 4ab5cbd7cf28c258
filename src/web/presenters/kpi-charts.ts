import type { KpiOverview } from '../../reports/kpi/kpi-report-service.js';
import type { Rate } from '../../reports/kpi/rates.js';
import type {
  ChartModel,
  GroupEstimateRow,
  LikertRow,
  NpsRow,
  ProportionRow,
  QuantileRow,
  TrendRow,
} from '../../reports/charts/chart-model.js';
import { missingWeeks } from '../../reports/charts/trend.js';
import { formatDate } from './format.js';
import { rulesUsed } from './kpi-tables.js';

/**
 * Chart models of a course or program report. Rows withheld for privacy are dropped from a chart (its
 * table says why); a chart whose every row is withheld is marked suppressed, so no number of a small
 * group reaches the SVG.
 */
export function reportCharts(r: KpiOverview): ChartModel[] {
  const min = { minimumGroupSize: r.minimumGroupSize };
  const asOf = r.freshness.newestStored?.toISOString().slice(0, 10);
  const common = asOf ? { dataAsOf: asOf } : {};
  const rateRows = (pick: (m: KpiOverview['modules'][number]) => Rate): ProportionRow[] =>
    r.modules.flatMap((m) => {
      const rate = pick(m);
      return rate.status === 'shown'
        ? [
            {
              label: m.module.title,
              successes: rate.successes,
              trials: rate.trials,
              estimate: rate.estimate,
              lower: rate.lower,
              upper: rate.upper,
            },
          ]
        : [];
    });
  const anyWithheld = (rows: unknown[], total: number) =>
    rows.length === 0 && total > 0 ? { suppressed: min } : {};
  const completion = rateRows((m) => m.completion);
  const mastery = rateRows((m) => m.mastery);
  const time: QuantileRow[] = r.modules.flatMap((m) =>
    m.time
      ? [
          {
            label: m.module.title,
            median: m.time.medianMinutes,
            p90: m.time.p90Minutes,
            sessions: m.time.sessions,
            estimatedSessions: m.time.estimatedSessions,
          },
        ]
      : [],
  );
  const likert = (
    kind: 'survey' | 'observations',
  ): { rows: LikertRow[]; scale: string[]; withheld: number } => {
    const items = r.modules.flatMap((m) =>
      m[kind].filter((i) => i.type === 'likert' || i.type === 'observation').map((i) => ({ m, i })),
    );
    const shown = items.filter(({ i }) => i.likert);
    const scale = shown[0]?.i.labels ?? [];
    return {
      rows: shown
        .filter(({ i }) => i.labels.length === scale.length)
        .map(({ m, i }) => ({ label: `${m.module.title}: ${i.prompt}`, counts: i.likert!.counts })),
      scale,
      withheld: items.filter(({ i }) => i.suppressed).length,
    };
  };
  const survey = likert('survey');
  const observed = likert('observations');
  const nps: NpsRow[] = r.modules.flatMap((m) =>
    m.survey.filter((i) => i.nps).map((i) => ({ label: m.module.title, ...i.nps! })),
  );
  const npsWithheld = r.modules.some((m) => m.survey.some((i) => i.type === 'nps' && i.suppressed));
  const weekly: TrendRow[] = r.weekly
    .filter((w) => !w.suppressed)
    .flatMap((w) => [
      { week: w.week, series: 'Started', value: w.started },
      { week: w.week, series: 'Completed', value: w.completed },
    ]);
  const charts: ChartModel[] = [
    {
      id: 'completion',
      kind: 'proportion-bars',
      title: 'Module completion rate',
      description: `Share of the ${r.assigned} learners counted who completed each module, with 95% Wilson intervals. ${rulesUsed(r, 'completion')}`,
      options: { measure: 'Completion rate', countNames: ['completed', 'assigned'] },
      rowHeader: 'Module',
      rows: completion,
      ...anyWithheld(completion, r.assigned),
      ...common,
    },
    {
      id: 'mastery',
      kind: 'proportion-bars',
      title: 'Quiz mastery rate',
      description: `Share of learners with a completed post-test attempt whose counted attempt passed, with 95% Wilson intervals. ${rulesUsed(r, 'mastery')}`,
      options: { measure: 'Mastery rate', countNames: ['passed', 'scored'] },
      rowHeader: 'Module',
      rows: mastery,
      ...anyWithheld(mastery, r.modules.filter((m) => m.mastery.status === 'suppressed').length),
      ...common,
    },
    {
      id: 'time-on-task',
      kind: 'quantile-bars',
      title: 'Time on task',
      description: `Median and 90th percentile of each learner's total session time per module, in minutes (totals per learner, not per session). ${rulesUsed(r, 'time-on-task')}`,
      rowHeader: 'Module',
      rows: time,
      ...anyWithheld(time, r.modules.filter((m) => m.timeSuppressed).length),
      ...common,
    },
  ];
  if (survey.rows.length || survey.withheld) {
    charts.push({
      id: 'survey-likert',
      kind: 'likert',
      title: 'Reaction survey',
      description: 'Answers per survey statement, from the most negative level to the most positive.',
      rowHeader: 'Statement',
      rows: survey.rows,
      options: { scale: survey.scale },
      ...anyWithheld(survey.rows, survey.withheld),
      ...common,
    });
  }
  if (nps.length || npsWithheld) {
    charts.push({
      id: 'nps',
      kind: 'nps',
      title: 'Net Promoter Score',
      description:
        'Detractors (0-6), passives (7-8) and promoters (9-10) per module; NPS = % promoters - % detractors.',
      rowHeader: 'Module',
      rows: nps,
      ...anyWithheld(nps, npsWithheld ? 1 : 0),
      ...common,
    });
  }
  if (observed.rows.length || observed.withheld) {
    charts.push({
      id: 'observations',
      kind: 'likert',
      title: 'Manager observations',
      description: "Managers' latest rating of each observed learner per behaviour.",
      rowHeader: 'Behaviour',
      rows: observed.rows,
      options: { scale: observed.scale },
      ...anyWithheld(observed.rows, observed.withheld),
      ...common,
    });
  }
  // Every week withheld (or the whole table): the chart is withheld, not drawn empty.
  const weeklyHidden = r.weeklySuppressed || (r.weekly.length > 0 && r.weekly.every((w) => w.suppressed));
  const gaps = weeklyHidden ? [] : missingWeeks(r.weekly.map((w) => w.week));
  charts.push({
    id: 'weekly',
    kind: 'trend',
    title: 'Weekly starts and completions',
    description: `Distinct assigned learners per week who started or completed a module.${
      gaps.length
        ? ` ${gaps.length === 1 ? 'One week' : `${gaps.length} weeks`} without any activity (${gaps.map((w) => formatDate(w)).join(', ')}) ${gaps.length === 1 ? 'is' : 'are'} left as a gap in the lines.`
        : ''
    }`,
    rows: weeklyHidden ? [] : weekly,
    options: {
      unit: 'count',
      measure: 'Learners',
      series: ['Started', 'Completed'],
      events: r.enrollment ? [{ date: r.enrollment.date.toISOString().slice(0, 10), label: 'Campaign' }] : [],
    },
    ...(weeklyHidden ? { suppressed: min } : {}),
    ...common,
  });
  if (r.groups.length) {
    const rows: GroupEstimateRow[] = r.modules.flatMap((m) =>
      r.groups.flatMap((g) => {
        const rate = g.modules.find((x) => x.moduleId === m.module.id)?.completion;
        return rate?.status === 'shown'
          ? [
              {
                measure: m.module.title,
                group: g.name,
                estimate: rate.estimate,
                lower: rate.lower,
                upper: rate.upper,
                n: rate.trials,
              },
            ]
          : [];
      }),
    );
    charts.push({
      id: 'cohort-completion',
      kind: 'group-comparison',
      title: 'Completion by cohort',
      description: 'Completion rate per module for each cohort, with 95% Wilson intervals.',
      rows,
      options: { unit: 'proportion', groups: r.groups.map((g) => g.name) },
      ...anyWithheld(rows, r.groups.length),
      ...common,
    });
  }
  return charts;
}

/**
 * What each chart of `reportCharts` leaves out for privacy, to list under it: "Not shown: Module 3
 * (fewer than 5 learners)". Keyed by chart id; charts that leave nothing out have no entry.
 */
export function withheldNotes(r: KpiOverview): Record<string, string[]> {
  const reason = `fewer than ${r.minimumGroupSize} learners`;
  const list = (titles: string[]) => (titles.length ? [`Not shown: ${titles.join(', ')} (${reason}).`] : []);
  const titles = (pick: (m: KpiOverview['modules'][number]) => boolean) =>
    r.modules.filter(pick).map((m) => m.module.title);
  const surveyed = (kind: 'survey' | 'observations', type?: string) =>
    r.modules.flatMap((m) =>
      m[kind]
        .filter((i) => i.suppressed && (type ? i.type === type : i.type !== 'nps' && i.type !== 'text'))
        .map((i) => `${m.module.title}: ${i.prompt}`),
    );
  const notes: Record<string, string[]> = {
    completion: list(titles((m) => m.completion.status === 'suppressed')),
    mastery: list(titles((m) => m.mastery.status === 'suppressed')),
    'time-on-task': list(titles((m) => m.timeSuppressed)),
    'survey-likert': list(surveyed('survey')),
    nps: list(surveyed('survey', 'nps')),
    observations: list(surveyed('observations')),
    weekly: r.weeklySuppressed
      ? [`Not shown: the weekly counts (${reason} in scope).`]
      : list(r.weekly.filter((w) => w.suppressed).map((w) => `the week of ${formatDate(w.week)}`)),
    'cohort-completion': list(r.groups.filter((g) => g.sizeSuppressed).map((g) => g.name)),
  };
  return Object.fromEntries(Object.entries(notes).filter(([, v]) => v.length));
}
