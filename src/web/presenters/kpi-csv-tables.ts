import type {
  KpiReport,
  LearnerExportRow,
  QualityReport,
  SurveyItemKpi,
} from '../../reports/kpi/kpi-report-service.js';
import type { Rate } from '../../reports/kpi/rates.js';
import type { CsvCell, CsvTable } from './csv.js';
import { rulesUsed, versionsText } from './kpi-tables.js';

/**
 * The KPI report's tables as tidy CSV (docs/kpi-reports.md, "Exports"): the same ids as the page's
 * tables (kpi-tables.ts), but one header row in snake_case with the unit in the name, numbers as numbers
 * (percentages on the 0-100 scale, minutes), each end of an interval in its own column, and a `*_status`
 * column (shown, withheld, empty) where an aggregate may be withheld under the privacy minimum; a
 * withheld aggregate leaves its number cells empty.
 */
type Row = CsvCell[];

const status = (suppressed: boolean, empty = false) => (suppressed ? 'withheld' : empty ? 'empty' : 'shown');
const pct = (x: number | null | undefined) => (x === null || x === undefined ? null : x * 100);

function rateHeaders(p: string): string[] {
  return [`${p}_status`, `${p}_rate_percent`, `${p}_ci_low_percent`, `${p}_ci_high_percent`];
}

function rateCells(rate: Rate): Row {
  if (rate.status !== 'shown') return [rate.status === 'suppressed' ? 'withheld' : 'empty', null, null, null];
  return ['shown', pct(rate.estimate), pct(rate.lower), pct(rate.upper)];
}

const trials = (r: Rate) => (r.status === 'shown' ? r.trials : r.status === 'empty' ? 0 : null);
const successes = (r: Rate) => (r.status === 'shown' ? r.successes : r.status === 'empty' ? 0 : null);

function modules(r: KpiReport): CsvTable {
  return {
    id: 'modules',
    headers: [
      'module',
      'assigned_learners',
      'started_learners',
      'completed_learners',
      ...rateHeaders('completion'),
      'scored_learners',
      'passed_learners',
      ...rateHeaders('mastery'),
      'withdrawn_learners',
      'rule_used',
    ],
    rows: r.modules.map((m) => [
      m.module.title,
      r.assigned,
      m.completion.status === 'suppressed' ? null : m.started,
      successes(m.completion),
      ...rateCells(m.completion),
      trials(m.mastery),
      successes(m.mastery),
      ...rateCells(m.mastery),
      r.withdrawn,
      rulesUsed(r, 'completion', 'mastery'),
    ]),
  };
}

function retakes(r: KpiReport): CsvTable {
  return {
    id: 'retakes',
    headers: ['module', 'retook_learners', 'passed_on_retake_learners', 'failed_after_pass_learners'],
    rows: r.modules.map((m) => [
      m.module.title,
      m.retakes.retook,
      m.retakes.passedOnRetake,
      m.retakes.failedAfterPass,
    ]),
  };
}

function time(r: KpiReport): CsvTable {
  return {
    id: 'time-on-task',
    headers: [
      'module',
      'time_status',
      'learners',
      'time_on_task_median_minutes',
      'time_on_task_p90_minutes',
      'sessions',
      'estimated_sessions',
      'rule_used',
    ],
    rows: r.modules.map((m) => {
      const rule = rulesUsed(r, 'time-on-task');
      if (m.timeSuppressed) return [m.module.title, 'withheld', null, null, null, null, null, rule];
      const t = m.time;
      if (!t) return [m.module.title, 'empty', 0, null, null, 0, 0, rule];
      return [
        m.module.title,
        'shown',
        t.learners,
        t.medianMinutes,
        t.p90Minutes,
        t.sessions,
        t.estimatedSessions,
        rule,
      ];
    }),
  };
}

function scores(r: KpiReport): CsvTable {
  return {
    id: 'pre-post',
    headers: [
      'module',
      'scores_status',
      'learners_with_both',
      'at_ceiling_learners',
      'pre_mean_percent',
      'post_mean_percent',
      'gain_points',
      'gain_ci_low',
      'gain_ci_high',
      'gain_note',
      'class_normalized_gain',
      'mean_learner_gain',
      'rule_used',
    ],
    rows: r.modules.map((m) => {
      const s = m.scores;
      const rule = rulesUsed(r, 'pre-post', 'gain');
      if (s.suppressed)
        return [m.module.title, 'withheld', null, null, null, null, null, null, null, null, null, null, rule];
      return [
        m.module.title,
        status(false, s.pairs === 0),
        s.pairs,
        s.gain?.excludedAtMaximum ?? 0,
        s.prePercentMean,
        s.postPercentMean,
        s.paired?.mean ?? null,
        s.paired?.lower ?? null,
        s.paired?.upper ?? null,
        s.paired ? null : s.pairedNote,
        s.gain?.classAverageGain ?? null,
        s.gain?.meanLearnerGain ?? null,
        rule,
      ];
    }),
  };
}

function items(r: KpiReport): CsvTable {
  return {
    id: 'questions',
    headers: [
      'module',
      'items_status',
      'module_version',
      'question',
      'learners',
      'difficulty',
      'point_biserial',
      'upper_lower_index',
    ],
    rows: r.modules.flatMap((m): Row[] =>
      m.itemsSuppressed
        ? [[m.module.title, 'withheld', null, null, null, null, null, null]]
        : m.items.map((i) => [
            m.module.title,
            'shown',
            i.moduleVersion,
            i.prompt,
            i.learners,
            i.difficulty,
            i.pointBiserial,
            i.groupsSuppressed ? null : i.upperLowerIndex,
          ]),
    ),
  };
}

function distractors(r: KpiReport): CsvTable {
  return {
    id: 'answer-choices',
    headers: [
      'module',
      'module_version',
      'question',
      'option',
      'is_key',
      'chosen_count',
      'upper_group_count',
      'lower_group_count',
    ],
    rows: r.modules.flatMap((m) =>
      m.items.flatMap((i) =>
        i.options.map((o) => [
          m.module.title,
          i.moduleVersion,
          i.prompt,
          o.label,
          o.isKey ? 'true' : 'false',
          o.countSuppressed ? null : o.count,
          i.groupsSuppressed ? null : o.upperCount,
          i.groupsSuppressed ? null : o.lowerCount,
        ]),
      ),
    ),
  };
}

const surveyHeaders = [
  'module',
  'item',
  'item_type',
  'anonymous',
  'item_status',
  'respondents',
  'respondents_counted_in',
  'likert_mean',
  'likert_top_two_percent',
  'nps_score',
  'promoters',
  'passives',
  'detractors',
  'text_answers',
  'unreadable_answers',
  'answered_in_versions',
  'wording_changed',
];

function surveyRow(module: string, i: SurveyItemKpi): Row {
  const shown = !i.suppressed;
  return [
    module,
    i.prompt,
    i.type,
    i.anonymous ? 'true' : 'false',
    status(i.suppressed, i.respondents === 0),
    shown ? i.respondents : null,
    i.countedIn,
    shown && i.likert ? i.likert.mean : null,
    shown && i.likert ? i.likert.topTwoPercent : null,
    shown && i.nps ? i.nps.score : null,
    shown && i.nps ? i.nps.promoters : null,
    shown && i.nps ? i.nps.passives : null,
    shown && i.nps ? i.nps.detractors : null,
    shown && i.type === 'text' ? i.texts.reduce((s, t) => s + t.count, 0) : null,
    shown ? i.unreadable : null,
    versionsText(i),
    i.wordingChanged ? 'true' : 'false',
  ];
}

function survey(r: KpiReport): CsvTable {
  return {
    id: 'survey',
    headers: surveyHeaders,
    rows: r.modules.flatMap((m) => m.survey.map((i) => surveyRow(m.module.title, i))),
  };
}

function comments(r: KpiReport): CsvTable {
  return {
    id: 'comments',
    headers: ['module', 'question', 'answer', 'times_given'],
    rows: r.modules.flatMap((m) =>
      m.survey.flatMap((i) => i.texts.map((t) => [m.module.title, i.prompt, t.text, t.count])),
    ),
  };
}

function observations(r: KpiReport): CsvTable {
  return {
    id: 'observations',
    headers: surveyHeaders,
    rows: r.modules.flatMap((m) => m.observations.map((i) => surveyRow(m.module.title, i))),
  };
}

function weekly(r: KpiReport): CsvTable {
  return {
    id: 'weekly',
    headers: [
      'week_start_date',
      'weekly_status',
      'started_learners',
      'completed_learners',
      'active_learners',
    ],
    rows: r.weeklySuppressed
      ? [[null, 'withheld', null, null, null]]
      : r.weekly.map((w) =>
          w.suppressed
            ? [w.week, 'withheld', null, null, null]
            : [w.week, 'shown', w.started, w.completed, w.active],
        ),
  };
}

function enrollment(r: KpiReport): CsvTable | null {
  const e = r.enrollment;
  if (!e) return null;
  const day = e.date.toISOString().slice(0, 10);
  const row = (window: string, rate: Rate): Row => [
    day,
    window,
    e.days,
    trials(rate),
    successes(rate),
    ...rateCells(rate),
  ];
  return {
    id: 'enrollment',
    headers: [
      'campaign_date',
      'window',
      'window_days',
      'not_yet_started_learners',
      'started_in_window_learners',
      ...rateHeaders('enrollment'),
    ],
    rows: [row('before', e.before), row('after', e.after)],
  };
}

function groups(r: KpiReport): CsvTable | null {
  if (!r.groups.length) return null;
  return {
    id: 'cohorts',
    headers: [
      'module',
      'cohort',
      'arm',
      'assigned_learners',
      ...rateHeaders('completion'),
      ...rateHeaders('mastery'),
      'scores_status',
      'gain_points',
      'gain_ci_low',
      'gain_ci_high',
    ],
    rows: r.modules.flatMap((m) =>
      r.groups.map((g): Row => {
        const gm = g.modules.find((x) => x.moduleId === m.module.id)!;
        const s = gm.scores;
        return [
          m.module.title,
          g.name,
          g.arm,
          g.sizeSuppressed ? null : g.assigned,
          ...rateCells(gm.completion),
          ...rateCells(gm.mastery),
          status(s.suppressed, !s.suppressed && s.pairs === 0),
          s.suppressed ? null : (s.paired?.mean ?? null),
          s.suppressed ? null : (s.paired?.lower ?? null),
          s.suppressed ? null : (s.paired?.upper ?? null),
        ];
      }),
    ),
  };
}

/** Every table of a course or program report as tidy CSV, with the ids of `reportTables`. */
export function reportCsvTables(r: KpiReport): CsvTable[] {
  return [
    modules(r),
    retakes(r),
    time(r),
    scores(r),
    items(r),
    distractors(r),
    survey(r),
    comments(r),
    observations(r),
    weekly(r),
    enrollment(r),
    groups(r),
  ].filter((t): t is CsvTable => t !== null);
}

/** The data-quality checks as tidy CSV (rates and thresholds in percent). */
export function qualityCsvTable(q: QualityReport): CsvTable {
  return {
    id: 'data-quality',
    headers: ['check', 'count', 'out_of', 'rate_percent', 'threshold_percent', 'result', 'advice'],
    rows: q.checks.map((c) =>
      c.withheld
        ? [c.name, null, null, null, pct(c.threshold), 'withheld', null]
        : [
            c.name,
            c.count,
            c.of,
            pct(c.rate),
            pct(c.threshold),
            c.ok ? 'ok' : 'over threshold',
            c.ok ? null : c.advice,
          ],
    ),
  };
}

/**
 * The per-learner export: one row per assigned learner with what the drill-down shows (never survey
 * answers); email and LMS user id tell learners with the same name apart.
 */
export function learnersCsvTable(rows: LearnerExportRow[]): CsvTable {
  return {
    id: 'learners',
    headers: [
      'name',
      'email',
      'lms_user_id',
      'status',
      'modules_in_scope',
      'modules_started',
      'modules_completed',
      'pre_score_percent',
      'post_score_percent',
      'time_on_task_minutes',
      'last_activity_date',
    ],
    rows: rows.map((r) => [
      r.displayName,
      r.email,
      r.lmsUserId,
      r.status,
      r.modulesInScope,
      r.modulesStarted,
      r.modulesCompleted,
      r.prePercent,
      r.postPercent,
      r.minutes,
      r.lastActivityWithheld ? 'withheld' : r.lastActivity ? r.lastActivity.toISOString().slice(0, 10) : null,
    ]),
  };
}
