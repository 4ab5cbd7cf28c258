import { attemptWords, denominatorShortWords } from '../../reports/kpi/definitions.js';
import type { KpiOverview, ModuleOverview } from '../../reports/kpi/kpi-report-service.js';
import type { Rate } from '../../reports/kpi/rates.js';
import {
  formatChangePoints,
  formatCount,
  formatDuration,
  formatDurationRange,
  formatQuantity,
  formatRate,
} from './format.js';

/** One summary card at the top of a report: a label, its headline value and what it counts. */
export interface SummaryCard {
  id: string;
  label: string;
  value: string;
  /** What the value counts, or why it is missing. */
  detail: string;
  /** One line per module when the course has several. */
  lines: string[];
}

const many = (modules: ModuleOverview[]) => modules.length > 1;

/** Shown rates pooled over modules: the share of learner-module pairs, e.g. completions of all assignments. */
function pooled(modules: ModuleOverview[], pick: (m: ModuleOverview) => Rate) {
  const shown = modules
    .map(pick)
    .filter((r): r is Extract<Rate, { status: 'shown' }> => r.status === 'shown');
  const successes = shown.reduce((s, r) => s + r.successes, 0);
  const trials = shown.reduce((s, r) => s + r.trials, 0);
  const withheld = modules.filter((m) => pick(m).status === 'suppressed').length;
  return { successes, trials, withheld };
}

function rateCard(
  r: KpiOverview,
  id: string,
  label: string,
  pick: (m: ModuleOverview) => Rate,
  counted: [string, string],
  rule = '',
): SummaryCard {
  const p = pooled(r.modules, pick);
  const withheld = p.withheld
    ? ` ${formatCount(p.withheld)} module${p.withheld === 1 ? '' : 's'} withheld (fewer than ${r.minimumGroupSize} learners).`
    : '';
  const line = (m: ModuleOverview) => {
    const rate = pick(m);
    return `${m.module.title}: ${rate.status === 'shown' ? `${formatRate(rate.estimate)} (${formatRate(rate.lower)} to ${formatRate(rate.upper)})` : rate.status === 'empty' ? 'no learners yet' : 'withheld'}`;
  };
  return {
    id,
    label,
    value: p.trials ? formatRate(p.successes / p.trials) : 'no data yet',
    detail: p.trials
      ? `${formatCount(p.successes)} of ${formatCount(p.trials)} ${counted[0]} ${counted[1]}.${withheld}${rule ? ` ${rule}` : ''}`
      : `Nothing to count yet.${withheld}`,
    lines: many(r.modules) ? r.modules.map(line) : [],
  };
}

function timeCard(r: KpiOverview): SummaryCard {
  const timed = r.modules.filter((m) => m.time && !m.timeSuppressed);
  const medians = timed.map((m) => m.time!.medianMinutes);
  const low = Math.min(...medians);
  const high = Math.max(...medians);
  const value = !medians.length ? 'no data yet' : formatDurationRange(low, high);
  return {
    id: 'time',
    label: 'Median time on task',
    value,
    detail: many(r.modules)
      ? "Each module's median of learners' total session time; the range over modules."
      : "The median of learners' total session time in the module.",
    lines: many(r.modules)
      ? r.modules.map(
          (m) =>
            `${m.module.title}: ${m.timeSuppressed ? 'withheld' : m.time ? formatDuration(m.time.medianMinutes) : 'no sessions yet'}`,
        )
      : [],
  };
}

function gainCard(r: KpiOverview): SummaryCard {
  const shown = r.modules.filter((m) => !m.scores.suppressed && m.scores.paired);
  const pairs = shown.reduce((s, m) => s + m.scores.pairs, 0);
  const pooledMean = pairs
    ? shown.reduce((s, m) => s + m.scores.paired!.mean * m.scores.pairs, 0) / pairs
    : null;
  const line = (m: ModuleOverview) => {
    const p = m.scores.paired;
    if (m.scores.suppressed) return `${m.module.title}: withheld`;
    if (!p) return `${m.module.title}: ${m.scores.pairedNote ?? 'no pre/post pairs yet'}`;
    return `${m.module.title}: ${formatChangePoints(p.mean)} (95% interval ${formatChangePoints(p.lower)} to ${formatChangePoints(p.upper)})`;
  };
  const only = shown.length === 1 ? shown[0]!.scores.paired! : null;
  return {
    id: 'gain',
    label: 'Pre-to-post gain',
    value: pooledMean === null ? 'no data yet' : formatChangePoints(pooledMean),
    detail:
      pooledMean === null
        ? 'Needs learners with both a pre-test and a post-test.'
        : only
          ? `95% interval ${formatChangePoints(only.lower)} to ${formatChangePoints(only.upper)}; ${formatCount(pairs)} learners with both tests, in percentage points correct.`
          : `Mean change over ${formatCount(pairs)} learner-module pairs with both tests, in percentage points correct; each module's interval under Per module.`,
    lines: many(r.modules) ? r.modules.map(line) : [],
  };
}

function npsCard(r: KpiOverview): SummaryCard {
  const all = r.modules.flatMap((m) => m.survey.filter((i) => i.nps && !i.suppressed).map((i) => i.nps!));
  const n = all.reduce((s, x) => s + x.n, 0);
  const score = n ? (100 * all.reduce((s, x) => s + x.promoters - x.detractors, 0)) / n : null;
  const withheld = r.modules.some((m) => m.survey.some((i) => i.type === 'nps' && i.suppressed));
  return {
    id: 'nps',
    label: 'Net Promoter Score',
    value:
      score === null
        ? withheld
          ? 'withheld'
          : 'no answers yet'
        : `${score > 0 ? '+' : ''}${Math.round(score)}`,
    detail:
      score === null
        ? withheld
          ? `Fewer than ${r.minimumGroupSize} answers.`
          : 'No recommendation question answered yet.'
        : `From ${formatCount(n)} answers: % promoters (9-10) minus % detractors (0-6), from -100 to +100.`,
    lines: [],
  };
}

function reactionCard(r: KpiOverview): SummaryCard {
  const items = r.modules.flatMap((m) =>
    m.survey.filter((i) => i.likert && !i.suppressed).map((i) => i.likert!),
  );
  const answers = items.reduce((s, l) => s + l.n, 0);
  const agree = items.reduce((s, l) => s + (l.topTwoPercent / 100) * l.n, 0);
  const mean = answers ? items.reduce((s, l) => s + l.mean * l.n, 0) / answers : null;
  const points = items[0]?.points ?? 5;
  return {
    id: 'reaction',
    label: 'Reaction',
    value: answers ? `${formatRate(agree / answers)} agree` : 'no answers yet',
    detail: answers
      ? `Share of ${formatCount(answers)} survey answers in the top two levels; mean ${formatQuantity(mean!)} of ${points}.`
      : 'No rating question answered yet.',
    lines: [],
  };
}

/**
 * The cards at the top of a course report, each pooled over the report's modules: learners assigned,
 * completion and mastery (shares of learner-module pairs), the range of median times, the mean
 * pre-to-post change (with its interval for one module, per module otherwise), NPS and reaction.
 * Withheld groups stay out of every number and are said in the detail.
 */
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function summaryCards(r: KpiOverview): SummaryCard[] {
  return [
    {
      id: 'assigned',
      label: 'Learners assigned',
      value: formatCount(r.assigned),
      detail: `${capitalize(denominatorShortWords(r.rules))}: ${formatCount(r.withdrawn)} withdrawn; ${formatCount(r.modules.length)} module${r.modules.length === 1 ? '' : 's'}.`,
      lines: [],
    },
    rateCard(r, 'completion', 'Completion', (m) => m.completion, ['module assignments', 'completed']),
    rateCard(
      r,
      'mastery',
      'Mastery',
      (m) => m.mastery,
      ['learners with a completed post-test', 'passed'],
      `Counts ${attemptWords(r.rules)}.`,
    ),
    timeCard(r),
    gainCard(r),
    npsCard(r),
    reactionCard(r),
  ];
}
