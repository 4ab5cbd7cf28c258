import type { KpiReport, ModuleKpi, SurveyItemKpi } from '../../reports/kpi/kpi-report-service.js';
import type { Rate } from '../../reports/kpi/rates.js';
import { formatCount, formatPercentPoints } from '../../reports/charts/format.js';
import { formatDate, formatDuration, formatRate } from './format.js';
import { kpiDefinition } from '../../reports/kpi/definitions.js';

/** The one-line rules of these definitions under the report's rules (definitions.ts), joined. */
export const rulesUsed = (r: Pick<KpiReport, 'rules'>, ...ids: string[]): string =>
  ids.map((id) => kpiDefinition(id).rule(r.rules)).join(' ');

/**
 * One table of a KPI report: what the page shows and what its CSV export contains (the same display
 * strings, so the page, the chart tables and the file never disagree).
 */
export interface KpiTable {
  id: string;
  caption: string;
  /** What the numbers count and how, under the table. */
  note?: string;
  headers: string[];
  rows: string[][];
}

const fixed = (x: number, digits = 2) => x.toFixed(digits);

/** "fewer than 5" for a withheld aggregate; "no data" for an empty one. */
export function withheld(minimum: number): string {
  return `not shown (fewer than ${minimum} learners)`;
}

function rateCells(rate: Rate): [string, string] {
  if (rate.status === 'suppressed') return [withheld(rate.minimum), ''];
  if (rate.status === 'empty') return ['no learners', ''];
  return [formatRate(rate.estimate), `${formatRate(rate.lower)} to ${formatRate(rate.upper)}`];
}

function trials(rate: Rate): string {
  return rate.status === 'shown' ? formatCount(rate.trials) : rate.status === 'empty' ? '0' : '';
}

function successes(rate: Rate): string {
  return rate.status === 'shown' ? formatCount(rate.successes) : '';
}

/** The module table: completion over assigned learners and mastery over scored learners. */
export function modulesTable(r: KpiReport): KpiTable {
  return {
    id: 'modules',
    caption: 'Completion and mastery per module',
    note: `${rulesUsed(r, 'completion', 'mastery')} ${formatCount(r.assigned)} learners counted; ${formatCount(r.withdrawn)} withdrawn (assigned, no longer enrolled). Mastery rate = learners whose counted attempt passed / learners with a completed post-test attempt. 95% Wilson intervals.`,
    headers: [
      'Module',
      'Assigned',
      'Started',
      'Completed',
      'Completion rate',
      '95% interval',
      'Scored',
      'Passed',
      'Mastery rate',
      '95% interval',
    ],
    rows: r.modules.map((m) => [
      m.module.title,
      formatCount(r.assigned),
      m.completion.status === 'suppressed' ? '' : formatCount(m.started),
      successes(m.completion),
      ...rateCells(m.completion),
      trials(m.mastery),
      successes(m.mastery),
      ...rateCells(m.mastery),
    ]),
  };
}

/** Retake outcomes, apart from mastery (which counts one attempt per learner, by the program's rule). */
export function retakesTable(r: KpiReport): KpiTable {
  return {
    id: 'retakes',
    caption: 'Post-test retakes',
    note: 'Learners with more than one completed post-test attempt; of them, those who failed first and passed later, and those who passed first and failed later. Reported whatever attempt mastery counts.',
    headers: ['Module', 'Retook', 'Passed on a retake', 'Failed after passing'],
    rows: r.modules.map((m) => [
      m.module.title,
      formatCount(m.retakes.retook),
      formatCount(m.retakes.passedOnRetake),
      formatCount(m.retakes.failedAfterPass),
    ]),
  };
}

export function timeTable(r: KpiReport): KpiTable {
  return {
    id: 'time-on-task',
    caption: 'Time on task per module (total per learner)',
    note: `${rulesUsed(r, 'time-on-task')} Each learner's total is the sum of their session durations (terminated and abandoned statements) in the module (R type 7 quantiles). Estimated sessions were abandoned or capped for idle time.`,
    headers: [
      'Module',
      'Learners',
      'Median total per learner',
      '90th percentile total per learner',
      'Sessions',
      'Estimated sessions',
    ],
    rows: r.modules.map((m) =>
      m.timeSuppressed
        ? [m.module.title, withheld(r.minimumGroupSize), '', '', '', '']
        : m.time
          ? [
              m.module.title,
              formatCount(m.time.learners),
              formatDuration(m.time.medianMinutes),
              formatDuration(m.time.p90Minutes),
              formatCount(m.time.sessions),
              formatCount(m.time.estimatedSessions),
            ]
          : [m.module.title, '0', '', '', '0', '0'],
    ),
  };
}

export function scoresTable(r: KpiReport): KpiTable {
  return {
    id: 'pre-post',
    caption: 'Pre/post knowledge check',
    note: `${rulesUsed(r, 'pre-post', 'gain')} Scores are the share of answers correct, for learners with both. Change = paired mean difference in percentage points with a 95% t interval; normalized gain (Hake) = share of the possible improvement realised.`,
    headers: [
      'Module',
      'Learners with both',
      'At ceiling (100% pre)',
      'Pre mean',
      'Post mean',
      'Change (points)',
      '95% interval',
      'Class normalized gain',
      'Mean learner gain',
    ],
    rows: r.modules.map((m) => {
      const s = m.scores;
      if (s.suppressed) return [m.module.title, withheld(r.minimumGroupSize), '', '', '', '', '', '', ''];
      return [
        m.module.title,
        formatCount(s.pairs),
        formatCount(s.gain?.excludedAtMaximum ?? 0),
        s.prePercentMean === null ? '' : formatPercentPoints(s.prePercentMean),
        s.postPercentMean === null ? '' : formatPercentPoints(s.postPercentMean),
        s.paired ? fixed(s.paired.mean, 1) : '',
        s.paired ? `${fixed(s.paired.lower, 1)} to ${fixed(s.paired.upper, 1)}` : (s.pairedNote ?? ''),
        s.gain?.classAverageGain === null || !s.gain ? '' : fixed(s.gain.classAverageGain),
        s.gain?.meanLearnerGain === null || !s.gain ? '' : fixed(s.gain.meanLearnerGain),
      ];
    }),
  };
}

export function itemsTable(r: KpiReport): KpiTable {
  return {
    id: 'questions',
    caption: 'Post-test questions',
    note: "Over each learner's latest post-test attempt, per module version. Difficulty = share correct; discrimination = corrected item-total correlation (point-biserial) and D = share correct in the top 27% minus the bottom 27%. Low or negative discrimination points to a confusing question or a wrong key.",
    headers: ['Module', 'Version', 'Question', 'Learners', 'Difficulty', 'Point-biserial', 'D (upper-lower)'],
    rows: r.modules.flatMap((m) =>
      m.itemsSuppressed
        ? [[m.module.title, '', '', withheld(r.minimumGroupSize), '', '', '']]
        : m.items.map((i) => [
            m.module.title,
            i.moduleVersion === null ? '' : String(i.moduleVersion),
            i.prompt,
            formatCount(i.learners),
            fixed(i.difficulty),
            i.pointBiserial === null ? 'no variance' : fixed(i.pointBiserial),
            i.groupsSuppressed ? withheld(r.minimumGroupSize) : fixed(i.upperLowerIndex),
          ]),
    ),
  };
}

export function distractorsTable(r: KpiReport): KpiTable {
  return {
    id: 'answer-choices',
    caption: 'Answer choices of post-test questions',
    note: 'How often each option was chosen, overall and in the upper and lower 27% of learners by total score. A wrong option chosen more by the upper group than the lower one deserves a look.',
    headers: ['Module', 'Version', 'Question', 'Option', 'Correct', 'Chosen', 'Upper group', 'Lower group'],
    rows: r.modules.flatMap((m) =>
      m.items.flatMap((i) =>
        i.options.map((o) => [
          m.module.title,
          i.moduleVersion === null ? '' : String(i.moduleVersion),
          i.prompt,
          o.label,
          o.isKey ? 'yes' : '',
          o.countSuppressed ? withheld(r.minimumGroupSize) : formatCount(o.count),
          i.groupsSuppressed ? withheld(r.minimumGroupSize) : formatCount(o.upperCount),
          i.groupsSuppressed ? '' : formatCount(o.lowerCount),
        ]),
      ),
    ),
  };
}

/** The module versions a survey item's answers were given in: "2", "1-3", or empty when unknown. */
export function versionsText(item: SurveyItemKpi): string {
  const v = item.answeredIn;
  if (!v) return '';
  return v.first === v.last ? String(v.first) : `${v.first}-${v.last}`;
}

function distribution(item: SurveyItemKpi, minimum: number): string {
  if (item.suppressed) return withheld(minimum);
  if (item.likert) {
    return item.labels
      .map((l, k) => `${l}: ${item.likert!.counts[k]} (${formatPercentPoints(item.likert!.percents[k]!)})`)
      .join('; ');
  }
  if (item.nps) {
    const n = item.nps;
    return `NPS ${n.score > 0 ? '+' : ''}${Math.round(n.score)}: promoters ${n.promoters} (${formatPercentPoints(n.promoterPercent)}), passives ${n.passives} (${formatPercentPoints(n.passivePercent)}), detractors ${n.detractors} (${formatPercentPoints(n.detractorPercent)})`;
  }
  if (item.type === 'text')
    return `${formatCount(item.texts.reduce((s, t) => s + t.count, 0))} answers (listed below)`;
  return '';
}

export function surveyTable(r: KpiReport): KpiTable {
  return {
    id: 'survey',
    caption: 'Reaction survey (Level 1)',
    note: `${rulesUsed(r, 'surveys')} Anonymous surveys are counted without names and never per person; when a cohort is chosen they are left out, since anonymous answers cannot be tied to a cohort.`,
    headers: ['Module', 'Item', 'Anonymous', 'Counted', 'Answers', 'Mean (1 = lowest)', 'Top two'],
    rows: r.modules.flatMap((m) =>
      m.survey.map((i) => [
        m.module.title,
        i.wordingChanged
          ? `${i.prompt} (worded differently in versions ${versionsText(i)}: choose a version to see each)`
          : i.prompt,
        i.anonymous ? 'yes' : 'no',
        i.suppressed ? '' : `${formatCount(i.respondents)} ${i.countedIn}`,
        distribution(i, r.minimumGroupSize),
        i.likert && !i.suppressed ? fixed(i.likert.mean) : '',
        i.likert && !i.suppressed ? formatPercentPoints(i.likert.topTwoPercent) : '',
      ]),
    ),
  };
}

export function commentsTable(r: KpiReport): KpiTable {
  return {
    id: 'comments',
    caption: 'Free-text answers',
    note: 'Shown as written (escaped), most frequent first, never with a name.',
    headers: ['Module', 'Question', 'Answer', 'Times given'],
    rows: r.modules.flatMap((m) =>
      m.survey.flatMap((i) => i.texts.map((t) => [m.module.title, i.prompt, t.text, formatCount(t.count)])),
    ),
  };
}

export function observationsTable(r: KpiReport): KpiTable {
  return {
    id: 'observations',
    caption: 'Manager observations (Level 3)',
    note: "Each observed learner's latest rating per behaviour.",
    headers: ['Module', 'Behaviour', 'Learners observed', 'Ratings', 'Mean (1 = lowest)', 'Top two'],
    rows: r.modules.flatMap((m) =>
      m.observations.map((i) => [
        m.module.title,
        i.prompt,
        i.suppressed ? '' : formatCount(i.respondents),
        distribution(i, r.minimumGroupSize),
        i.likert && !i.suppressed ? fixed(i.likert.mean) : '',
        i.likert && !i.suppressed ? formatPercentPoints(i.likert.topTwoPercent) : '',
      ]),
    ),
  };
}

export function weeklyTable(r: KpiReport): KpiTable {
  return {
    id: 'weekly',
    caption: 'Weekly activity',
    note: 'Distinct assigned learners per ISO week (Monday, UTC) who started a module, completed one, or sent any statement.',
    headers: ['Week of', 'Started', 'Completed', 'Active'],
    rows: r.weeklySuppressed
      ? [[withheld(r.minimumGroupSize), '', '', '']]
      : r.weekly.map((w) =>
          w.suppressed
            ? [formatDate(w.week), withheld(r.minimumGroupSize), '', '']
            : [formatDate(w.week), formatCount(w.started), formatCount(w.completed), formatCount(w.active)],
        ),
  };
}

export function enrollmentTable(r: KpiReport): KpiTable | null {
  const e = r.enrollment;
  if (!e) return null;
  const day = formatDate(e.date);
  const row = (name: string, rate: Rate) => [name, trials(rate), successes(rate), ...rateCells(rate)];
  return {
    id: 'enrollment',
    caption: `Enrollment before and after the campaign of ${day}`,
    note: `Assigned learners who launched their first module in the ${e.days} days before and the ${e.days} days from ${day}, each out of the learners who had not started before that window. Change: ${e.changePoints === null ? 'not available' : `${e.changePoints > 0 ? '+' : ''}${e.changePoints.toFixed(1)} percentage points`}.`,
    headers: ['Window', 'Not yet started', 'Started in window', 'Enrollment rate', '95% interval'],
    rows: [row(`${e.days} days before`, e.before), row(`${e.days} days after`, e.after)],
  };
}

export function groupsTable(r: KpiReport): KpiTable | null {
  if (!r.groups.length) return null;
  const title = (id: string) => r.modules.find((m) => m.module.id === id)?.module.title ?? id;
  return {
    id: 'cohorts',
    caption: 'Treatment and control side by side',
    note: `The same KPIs per cohort; each cohort is its own denominator. A cohort of fewer than ${r.minimumGroupSize} learners is not shown, nor the next smallest when the rest of the report would show it by subtraction.`,
    headers: [
      'Module',
      'Cohort',
      'Assigned',
      'Completion rate',
      '95% interval',
      'Mastery rate',
      '95% interval',
      'Change (points)',
    ],
    rows: r.modules.flatMap((m) =>
      r.groups.map((g) => {
        const gm = g.modules.find((x) => x.moduleId === m.module.id)!;
        return [
          title(m.module.id),
          g.name,
          g.sizeSuppressed ? withheld(r.minimumGroupSize) : formatCount(g.assigned),
          ...rateCells(gm.completion),
          ...rateCells(gm.mastery),
          gm.scores.suppressed
            ? withheld(r.minimumGroupSize)
            : gm.scores.paired
              ? gm.scores.paired.mean.toFixed(1)
              : '',
        ];
      }),
    ),
  };
}

/** Every table of a course or program report, in page order. */
export function reportTables(r: KpiReport): KpiTable[] {
  return [
    modulesTable(r),
    retakesTable(r),
    timeTable(r),
    scoresTable(r),
    itemsTable(r),
    distractorsTable(r),
    surveyTable(r),
    commentsTable(r),
    observationsTable(r),
    weeklyTable(r),
    enrollmentTable(r),
    groupsTable(r),
  ].filter((t): t is KpiTable => t !== null);
}

export type { ModuleKpi };
