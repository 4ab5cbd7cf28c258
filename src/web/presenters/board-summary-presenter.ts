import type { ProgramRoiReport } from '../../reports/program-roi-report-service.js';
import type { ForecastVersion, Program } from '../../cohorts/model.js';
import {
  formatAmountOf,
  formatCount,
  formatDate,
  formatDateOr,
  formatDateSpan,
  formatMoney,
  formatMoneyCents,
  formatMonths,
  formatPercent,
  formatYears,
  withOutcomeLabels,
} from './format.js';
import { roiLadder, roiVerdict } from './roi-verdict.js';
import { methodDetails } from './program-roi-presenter.js';

/**
 * The one-page board summary: the program's verdict first (the same figure, interval and sentence as
 * the program page), the ladder that shows how it was built, the money behind it with the method of
 * every number, the dates the data and the estimates are as of, intangibles listed (never monetized).
 */
export function presentBoardSummary(
  program: Program,
  report: ProgramRoiReport,
  forecast: ForecastVersion | undefined,
  dataAsOf: string | null,
) {
  const c = report.currency;
  const methods = [...new Set(report.benefits.map((b) => b.method))].join('; ');
  const years = formatYears(program.benefitHorizonYears);
  return {
    title: `${program.name}: board summary`,
    name: program.name,
    programId: program.id,
    preparedOn: formatDate(report.builtAt),
    dataAsOf: formatDateOr(dataAsOf),
    effectsAsOf: formatDateOr(report.effectsAsOf),
    windows: {
      pre: program.preWindow.start ? formatDateSpan(program.preWindow.start, program.preWindow.end) : 'none',
      post: program.postWindow.start
        ? formatDateSpan(program.postWindow.start, program.postWindow.end)
        : 'none',
    },
    verdict: roiVerdict(report),
    ladder: roiLadder(report, forecast),
    howComputed: methodDetails(report),
    figures: [
      {
        label: 'Benefit',
        value: formatMoney(report.adjusted.benefit, c),
        method: `Confidence-adjusted, effects by ${methods}, over ${years}, ${program.moneyPerspective} perspective`,
      },
      {
        label: 'Fully loaded cost',
        value: formatMoney(report.adjusted.cost, c),
        method:
          'Phillips cost model (development prorated, delivery, platform, facilitation, participant time, evaluation)',
      },
      {
        label: 'Net benefit',
        value: formatMoney(report.adjusted.netBenefit, c),
        method: 'Benefit minus fully loaded cost',
      },
      {
        label: 'Returned for every $1 spent',
        value: formatMoneyCents(report.adjusted.benefitCostRatio, c),
        method: 'Benefit divided by cost (the benefit-cost ratio)',
      },
      {
        label: 'Payback',
        value: report.adjusted.paybackMonths === null ? 'never' : formatMonths(report.adjusted.paybackMonths),
        method: 'Cost divided by the first year’s benefit a month',
      },
    ],
    benefits: report.benefits.map((b) => ({
      label: b.label,
      effect: `${formatAmountOf(b.unitsPerParticipant, b.unit, c)} x ${formatCount(b.participants)}`,
      method: b.method,
      value: formatMoney(b.annualValueAdjusted, c),
      source: `${b.source} (${formatPercent(b.confidencePercent)} confidence)`,
    })),
    intangibles: report.intangibles,
    events: report.confoundingEvents.map((e) => `${e.title} (${formatDateSpan(e.startsOn, e.endsOn)})`),
    evidence: report.evidence.map(
      (e) => `${e.title}${e.author ? `, ${e.author}` : ''} (${formatDateOr(e.recordedOn)})`,
    ),
    warnings: report.warnings.map(withOutcomeLabels),
  };
}
