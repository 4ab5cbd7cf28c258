import type { ProgramRoiReport } from '../../reports/program-roi-report-service.js';
import type { Forecast } from '../../reports/program-forecast-service.js';
import type { ForecastVersion } from '../../cohorts/model.js';
import {
  formatMoneyCents,
  formatPercent,
  formatPercentagePoints,
  formatRate,
  formatYears,
} from './format.js';

/** Whether the program paid off, did not, or the interval spans break-even (ROI 0%). */
export type VerdictTone = 'paid-off' | 'did-not-pay-off' | 'uncertain';

/** The one answer a program page, the board summary and the ROI chart titles give. */
export interface RoiVerdict {
  tone: VerdictTone;
  /** "Paid off", "Did not pay off", "Too uncertain to say". */
  toneLabel: string;
  /** The figure to quote: the confidence-adjusted ROI, e.g. "275%". */
  figure: string;
  /** "212% to 340%", or null when no interval can be given. */
  interval: string | null;
  /** What the interval is: "95% interval" (bootstrap) or "range" (every effect at one end). */
  intervalLabel: string | null;
  /** One sentence in plain words, starting with the tone label. */
  sentence: string;
  /** The title of the ROI charts: "Paid off: ROI 275% (95% interval 212% to 340%)". */
  chartTitle: string;
}

const TONE_LABELS: Record<VerdictTone, string> = {
  'paid-off': 'Paid off',
  'did-not-pay-off': 'Did not pay off',
  uncertain: 'Too uncertain to say',
};

/** The interval behind the verdict: the bootstrap's (BCa, else percentile), else the effects' range. */
function verdictInterval(report: ProgramRoiReport) {
  const b = report.bootstrap;
  if (b) {
    const i = b.conservativeFrom === 'bca' && b.bca ? b.bca : b.percentile;
    return {
      lower: Number(i.lowerPercent),
      upper: Number(i.upperPercent),
      label: `${formatRate(b.confidence)} interval`,
    };
  }
  if (report.interval)
    return {
      lower: Number(report.interval.lower.roiPercent),
      upper: Number(report.interval.upper.roiPercent),
      label: 'range',
    };
  return null;
}

/**
 * The verdict on a program's ROI. The figure quoted is the confidence-adjusted ROI (Phillips: each
 * benefit multiplied by the stated confidence in its value, the conservative figure one quotes), with
 * the participant bootstrap's interval (or, without person-level data, the range with every effect at
 * the same end of its interval). The tone follows the interval, not the point: paid off when its lower
 * end is above break-even (ROI 0%), did not pay off when its upper end is below, too uncertain to say
 * when it spans break-even or when there is no interval at all. Pure: same report, same verdict.
 */
export function roiVerdict(report: ProgramRoiReport): RoiVerdict {
  const roi = Number(report.adjusted.roiPercent);
  const figure = formatPercent(roi);
  const perDollar = formatMoneyCents(report.adjusted.benefitCostRatio, report.currency);
  const one = formatMoneyCents(1, report.currency).replace(/\.00$/, '');
  const interval = verdictInterval(report);
  const tone: VerdictTone = !interval
    ? 'uncertain'
    : interval.lower > 0
      ? 'paid-off'
      : interval.upper < 0
        ? 'did-not-pay-off'
        : 'uncertain';
  const label = TONE_LABELS[tone];
  const span = interval ? `${formatPercent(interval.lower)} to ${formatPercent(interval.upper)}` : null;
  const sentence =
    tone === 'paid-off'
      ? `${label}: every ${one} spent returned ${perDollar}; even the cautious estimate is ${formatPercent(interval!.lower)}.`
      : tone === 'did-not-pay-off'
        ? `${label}: every ${one} spent returned only ${perDollar}; even the hopeful estimate is ${formatPercent(interval!.upper)}, a loss.`
        : interval
          ? `${label}: the best estimate is ${figure} (every ${one} spent returned ${perDollar}), but the ${interval.label} runs from ${span}, so the program may have made or lost money.`
          : `${label}: the best estimate is ${figure} (every ${one} spent returned ${perDollar}), but at least one effect has no interval, so nothing says how sure that is.`;
  return {
    tone,
    toneLabel: label,
    figure,
    interval: span,
    intervalLabel: interval?.label ?? null,
    sentence,
    chartTitle: `${label}: ROI ${figure}${span ? ` (${interval!.label} ${span})` : ''}`,
  };
}

/** One rung of the ladder from the measured ROI to the quoted one and its checks. */
export interface LadderRung {
  label: string;
  value: string;
  explanation: string;
  quoted: boolean;
}

/**
 * How the quoted figure was built, one rung a figure, each with a one-line explanation: as measured,
 * confidence-adjusted (the quoted one), its interval, every effect at its low end, the multi-year
 * forecast, and the one-way sensitivity range. Only the quoted rung is marked; none is a headline.
 */
export function roiLadder(report: ProgramRoiReport, forecast?: ForecastVersion): LadderRung[] {
  const verdict = roiVerdict(report);
  const years = formatYears(report.program.horizonYears);
  const rungs: LadderRung[] = [
    {
      label: 'As measured',
      value: formatPercent(report.unadjusted.roiPercent),
      explanation: `Every benefit counted in full, as the data shows it, over ${years}.`,
      quoted: false,
    },
    {
      label: 'Confidence-adjusted (quoted)',
      value: verdict.figure,
      explanation:
        'Each benefit multiplied by how sure we are of its dollar value (Phillips); this is the figure to quote.',
      quoted: true,
    },
  ];
  if (report.bootstrap && verdict.interval)
    rungs.push({
      label: `Its ${verdict.intervalLabel}`,
      value: verdict.interval,
      explanation:
        'Where the quoted figure would most likely fall had different people taken part; the low end is the cautious estimate.',
      quoted: false,
    });
  if (report.interval)
    rungs.push({
      label: 'Every effect at its low end',
      value: formatPercent(report.interval.lower.roiPercent),
      explanation:
        'If every measured effect were at the low end of its own interval at once: a worst case, not a probability.',
      quoted: false,
    });
  const f = forecast?.forecast as Forecast | undefined;
  const last = f?.years.at(-1);
  if (forecast && f && last)
    rungs.push({
      label: `Forecast over ${formatYears(f.years.length)}`,
      value: formatPercent(last.cumulativeRoiPercent),
      explanation: `If ${formatRate(forecast.effectDecay)} of the effect fades each year and later money is discounted at ${formatRate(forecast.discountRate)} a year; the quoted figure assumes neither.`,
      quoted: false,
    });
  if (report.sensitivity.length) {
    const low = Math.min(...report.sensitivity.map((s) => Number(s.minRoiPercent)));
    const high = Math.max(...report.sensitivity.map((s) => Number(s.maxRoiPercent)));
    const widest = report.sensitivity[0]!;
    rungs.push({
      label: 'Sensitivity',
      value: `${formatPercent(low)} to ${formatPercent(high)}`,
      explanation: `The lowest and highest ROI when any one assumption is 50% lower or higher; the biggest swing (${formatPercentagePoints(widest.swing)}) comes from ${lowerFirst(widest.assumption)}.`,
      quoted: false,
    });
  }
  return rungs;
}

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
