import type { KpiReport, SurveyItemKpi } from '../../reports/kpi/kpi-report-service.js';
import type { Rate } from '../../reports/kpi/rates.js';
import type { ScoreChange } from '../../reports/kpi/score-change.js';
import type { ProgramRoiReport } from '../../reports/program-roi-report-service.js';
import { METHOD_NAMES } from '../../reports/program-roi-report-service.js';
import type { EffectRow, Program } from '../../cohorts/model.js';
import { findMetric } from '../../outcomes/metrics.js';
import { roiVerdict } from './roi-verdict.js';
import { formatDate, formatQuantity } from './format.js';

/** ISO dates inside a strip line as people write them ("2025-09-01" -> "Sep 1, 2025"). */
const datesInWords = (text: string) => text.replace(/\b\d{4}-\d\d-\d\d\b/g, (d) => formatDate(d));
const strip = (x: { value: string; method: string }) => ({
  value: datesInWords(x.value),
  method: datesInWords(x.method),
});

/** Everything the Kirkpatrick page is built from, gathered by the route from the services. */
export interface KirkpatrickInput {
  program: Program;
  kpis: KpiReport;
  effects: EffectRow[];
  /** Newest imported outcome date (YYYY-MM-DD) per outcome name, null when nothing is imported. */
  outcomeDataAsOf: Map<string, string | null>;
  /** The Phillips ROI, or why there is none yet (no cost model...). */
  roi: { report: ProgramRoiReport } | { pending: string };
}

/** One table cell set: a result, its denominator and the method that produced it. */
export interface LevelRow {
  module: string;
  item: string;
  value: string;
  denominator: string;
  method: string;
  suppressed: boolean;
}

export interface Level {
  level: number;
  id: string;
  heading: string;
  question: string;
  dataAsOf: string;
  denominator: string;
  /**
   * Who the level counts, in one plain line: levels 1-3 only the learners with learning data in
   * Yardstick (the linked sample), level 4 every participant in the outcome data.
   */
  counts: string;
  /** Plain words when the level has no data yet; null when `rows` say something. */
  empty: string | null;
  caption: string;
  rows: LevelRow[];
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const day = (d: Date | string | null | undefined) =>
  d ? (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10)) : 'no data yet';
const suppressedText = (minimum: number) => `Suppressed (fewer than ${minimum} learners)`;
const signed = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

/** A learner rate as text: estimate with its 95% Wilson interval, suppressed, or no data. */
export function rateText(
  rate: Rate,
  minimum: number,
): { value: string; suppressed: boolean; n: number | null } {
  if (rate.status === 'suppressed') return { value: suppressedText(minimum), suppressed: true, n: null };
  if (rate.status === 'empty') return { value: 'No data yet', suppressed: false, n: 0 };
  return {
    value: `${pct(rate.estimate)} (${Math.round(rate.confidence * 100)}% CI ${pct(rate.lower)} to ${pct(rate.upper)})`,
    suppressed: false,
    n: rate.trials,
  };
}

function surveyValue(item: SurveyItemKpi, minimum: number): { value: string; method: string } {
  if (item.suppressed)
    return {
      value: `Suppressed (fewer than ${minimum} respondents)`,
      method: item.type === 'nps' ? 'Net Promoter Score' : 'Likert summary',
    };
  if (item.nps)
    return {
      value: `NPS ${signed(item.nps.score, 0)} (promoters ${item.nps.promoterPercent.toFixed(1)}%, passives ${item.nps.passivePercent.toFixed(1)}%, detractors ${item.nps.detractorPercent.toFixed(1)}%)`,
      method: 'Net Promoter Score: % promoters (9-10) minus % detractors (0-6)',
    };
  if (item.likert)
    return {
      value: `mean ${item.likert.mean.toFixed(2)} of ${item.likert.points}; top two ${item.likert.topTwoPercent.toFixed(1)}%`,
      method: 'Likert mean (scale read as interval) and top-two-box share',
    };
  return { value: 'No answers yet', method: item.type === 'nps' ? 'Net Promoter Score' : 'Likert summary' };
}

function scoreRows(title: string, s: ScoreChange, minimum: number): LevelRow[] {
  const denominator = `${s.pairs} learner(s) with both a pre- and a post-test score`;
  if (s.suppressed)
    return [
      {
        module: title,
        item: 'Pre/post change',
        value: suppressedText(minimum),
        denominator: `fewer than ${minimum} learners with both scores`,
        method: 'paired mean difference (Student t interval)',
        suppressed: true,
      },
    ];
  if (s.pairs === 0) return [];
  const rows: LevelRow[] = [
    {
      module: title,
      item: 'Pre/post change',
      value: s.paired
        ? `${signed(s.paired.mean)} points (${Math.round(s.paired.confidence * 100)}% CI ${signed(s.paired.lower)} to ${signed(s.paired.upper)}); pre ${s.prePercentMean!.toFixed(1)}%, post ${s.postPercentMean!.toFixed(1)}%`
        : `pre ${s.prePercentMean!.toFixed(1)}%, post ${s.postPercentMean!.toFixed(1)}%; ${s.pairedNote ?? 'no interval'}`,
      denominator,
      method: 'paired mean difference post - pre (Student t interval, as R t.test paired)',
      suppressed: false,
    },
  ];
  if (s.gain)
    rows.push({
      module: title,
      item: 'Normalized gain',
      value:
        s.gain.classAverageGain === null
          ? 'Not defined: the class pre-test mean is already the maximum'
          : `<g> = ${s.gain.classAverageGain.toFixed(2)}`,
      denominator,
      method: "Hake's class-average normalized gain (mean post - mean pre) / (100 - mean pre)",
      suppressed: false,
    });
  return rows;
}

function effectText(e: EffectRow, unit: string): string {
  const point = Number(e.unitsPerParticipant);
  const bounds =
    e.lower !== null && e.upper !== null
      ? ` (interval ${formatQuantity(e.lower)} to ${formatQuantity(e.upper)})`
      : ' (no interval)';
  return `${point >= 0 ? '+' : ''}${formatQuantity(point)} ${unit} per participant${bounds}`;
}

/**
 * The Kirkpatrick L1-L5 view of a program: reaction (surveys), learning (mastery, pre/post), behaviour
 * (manager observations), results (attributed effects on lagging outcomes) and ROI (Phillips). Every
 * level states its data-as-of date and denominator, every number names its method, suppressed values
 * say so (never 0), and a level without data says that plainly.
 */
export function presentKirkpatrick(input: KirkpatrickInput) {
  const { program, kpis } = input;
  const min = kpis.minimumGroupSize;
  const statementsAsOf = day(kpis.freshness.newestStored);
  const assigned = `${kpis.assigned} learner(s) assigned to the program's modules`;

  const l1Rows: LevelRow[] = kpis.modules.flatMap((m) =>
    m.survey
      .filter((i) => (i.type === 'likert' || i.type === 'nps') && i.respondents > 0)
      .map((i) => ({
        module: m.module.title,
        item: i.prompt,
        ...surveyValue(i, min),
        denominator: i.suppressed
          ? `fewer than ${min} respondents of ${kpis.assigned} assigned`
          : `${i.respondents} respondent(s) of ${kpis.assigned} assigned`,
        suppressed: i.suppressed,
      })),
  );

  const l2Rows: LevelRow[] = kpis.modules.flatMap((m) => {
    const mastery = rateText(m.mastery, min);
    const rows: LevelRow[] = [];
    if (m.mastery.status !== 'empty')
      rows.push({
        module: m.module.title,
        item: 'Mastery (passed the post-test)',
        value: mastery.value,
        denominator: mastery.suppressed
          ? `fewer than ${min} learners with a scored post-test`
          : `${m.mastery.status === 'shown' ? m.mastery.successes : 0} of ${mastery.n} learner(s) with a scored post-test`,
        method: 'share of learners, Wilson score interval (as R prop.test, no continuity correction)',
        suppressed: mastery.suppressed,
      });
    return [...rows, ...scoreRows(m.module.title, m.scores, min)];
  });

  const l3Rows: LevelRow[] = kpis.modules.flatMap((m) =>
    m.observations
      .filter((o) => o.respondents > 0)
      .map((o) => ({
        module: m.module.title,
        item: o.prompt,
        value: o.suppressed
          ? suppressedText(min)
          : o.likert
            ? `mean ${o.likert.mean.toFixed(2)} of ${o.likert.points}; top two ${o.likert.topTwoPercent.toFixed(1)}%`
            : 'No observations yet',
        denominator: o.suppressed
          ? `fewer than ${min} observed learners`
          : `${o.respondents} observed learner(s) of ${kpis.assigned} assigned`,
        method: 'manager observation on a rating scale: mean and top-two-box share',
        suppressed: o.suppressed,
      })),
  );

  const l4Rows: LevelRow[] = input.effects.map((e) => {
    const metric = findMetric(e.outcome);
    const asOf = input.outcomeDataAsOf.get(e.outcome) ?? null;
    return {
      module: metric?.label ?? e.outcome,
      item: `estimated ${day(e.estimatedAt)}; outcome data as of ${asOf ?? 'unknown (entered by hand)'}`,
      value: effectText(e, metric?.unit ?? 'units'),
      denominator: `${e.participants} participant(s)`,
      method: METHOD_NAMES[e.method],
      suppressed: false,
    };
  });
  const estimated = new Set(input.effects.map((e) => e.outcome));
  const maturing = program.targetOutcomes
    .filter((o) => !estimated.has(o))
    .map((o) => ({
      outcome: findMetric(o)?.label ?? o,
      dataAsOf: input.outcomeDataAsOf.get(o) ?? null,
    }));
  const leading = kpis.modules.map((m) => {
    const r = rateText(m.completion, min);
    return {
      module: m.module.title,
      value: r.value,
      denominator: r.suppressed ? `fewer than ${min} assigned` : `${kpis.assigned} learner(s) assigned`,
      method: 'completion rate, Wilson score interval',
    };
  });
  const outcomeDates = [...input.outcomeDataAsOf.values()].filter((d): d is string => !!d).sort();
  const learningCounts = `From the ${kpis.assigned} participant(s) with learning data in Yardstick (assigned to its modules), not every program participant.`;
  const outcomeParticipants = input.effects.reduce((n, e) => Math.max(n, e.participants), 0);
  const outcomeCounts = input.effects.length
    ? `From all ${outcomeParticipants} participant(s) in the attributed outcome comparison, with or without learning data in Yardstick.`
    : 'No participants counted yet: no outcome has an attributed effect.';

  const levels: Level[] = [
    {
      level: 1,
      id: 'level-1',
      heading: 'Level 1: Reaction',
      question: 'How did learners react to the training?',
      dataAsOf: statementsAsOf,
      denominator: assigned,
      counts: learningCounts,
      empty: l1Rows.length
        ? null
        : 'No survey answers yet: no learner has answered a rating or NPS question.',
      caption: 'Survey ratings and Net Promoter Score per module',
      rows: l1Rows,
    },
    {
      level: 2,
      id: 'level-2',
      heading: 'Level 2: Learning',
      question: 'Did learners learn what was taught?',
      dataAsOf: statementsAsOf,
      denominator: 'learners with a scored post-test (mastery); learners with both tests (change)',
      counts: learningCounts,
      empty: l2Rows.length ? null : 'No test scores yet: no learner has finished a post-test.',
      caption: 'Mastery rate, pre/post change and normalized gain per module',
      rows: l2Rows,
    },
    {
      level: 3,
      id: 'level-3',
      heading: 'Level 3: Behaviour',
      question: 'Do learners apply it on the job, as their managers observe?',
      dataAsOf: statementsAsOf,
      denominator: 'learners observed by a manager, per behaviour',
      counts: learningCounts,
      empty: l3Rows.length ? null : 'No manager observations yet.',
      caption: 'Manager observations per behaviour item',
      rows: l3Rows,
    },
    {
      level: 4,
      id: 'level-4',
      heading: 'Level 4: Results',
      question: 'Did the business outcomes move because of the program?',
      dataAsOf: outcomeDates.at(-1) ?? 'no outcome data imported yet',
      denominator: 'participants in each attributed comparison',
      counts: outcomeCounts,
      empty: l4Rows.length
        ? null
        : 'No lagging outcome has an attributed effect yet; the leading indicators below are shown while the outcomes mature.',
      caption: 'Attributed effects on lagging outcomes, with the attribution method',
      rows: l4Rows,
    },
  ];

  return {
    title: `${program.name}: Kirkpatrick levels`,
    name: program.name,
    programId: program.id,
    minimum: min,
    levels,
    maturing,
    leading,
    roi: presentLevel5(input.roi),
    strip: kirkpatrickStrip(levels, input.roi),
  };
}

function presentLevel5(roi: KirkpatrickInput['roi']) {
  if ('pending' in roi)
    return {
      empty: `No ROI yet: ${roi.pending}`,
      dataAsOf: 'no data yet',
      denominator: '',
      headline: null,
      rows: [],
    };
  const r = roi.report;
  const b = r.bootstrap;
  const verdict = roiVerdict(r);
  const headline = {
    value: verdict.interval
      ? `${verdict.figure} (${verdict.intervalLabel} ${verdict.interval})`
      : verdict.figure,
    method: `Phillips ROI, confidence-adjusted. ${verdict.sentence}`,
  };
  const participants = b
    ? `${b.participants} participant(s) resampled`
    : `${r.benefits.reduce((n, x) => Math.max(n, x.participants), 0)} participant(s) in the largest effect`;
  return {
    empty: null,
    dataAsOf: r.dataAsOf ?? 'unknown',
    denominator: participants,
    headline,
    rows: [
      {
        item: 'ROI (confidence-adjusted)',
        value: `${r.adjusted.roiPercent}%`,
        method: 'Phillips ROI = net benefit / fully loaded cost',
      },
      {
        item: 'Benefit-cost ratio',
        value: r.adjusted.benefitCostRatio,
        method: 'benefit / fully loaded cost',
      },
      {
        item: 'Net benefit',
        value: `${r.currency} ${Number(r.adjusted.netBenefit).toLocaleString('en-US', { maximumFractionDigits: 0 })}`,
        method: `benefit minus fully loaded cost, ${r.program.perspective} perspective, ${r.program.horizonYears} year(s)`,
      },
      {
        item: 'Payback',
        value: r.adjusted.paybackMonths === null ? 'never' : `${r.adjusted.paybackMonths} months`,
        method: 'cost / (first-year benefit / 12)',
      },
    ],
  };
}

/** The compact L1-L5 strip for the board summary: one line per level, "no data yet" said plainly. */
export function kirkpatrickStrip(levels: Level[], roi: KirkpatrickInput['roi']) {
  const first = (l: Level) => {
    if (l.empty) return { value: 'No data yet', method: '' };
    const row = l.rows.find((r) => !r.suppressed) ?? l.rows[0]!;
    return { value: `${row.item}: ${row.value}`, method: row.method };
  };
  const l5 = presentLevel5(roi);
  return [
    ...levels.map((l) => ({
      label: l.heading,
      asOf: datesInWords(l.dataAsOf),
      counts: l.counts,
      ...strip(first(l)),
    })),
    {
      label: 'Level 5: ROI',
      counts: l5.denominator ? `From the ${l5.denominator}.` : 'No participants counted yet.',
      asOf: datesInWords(l5.dataAsOf),
      value: l5.headline ? l5.headline.value : 'No data yet',
      method: l5.headline?.method ?? '',
    },
  ];
}
