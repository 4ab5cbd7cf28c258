import type { ProgramRoiReport } from '../../reports/program-roi-report-service.js';
import type { WaterfallModel } from '../../reports/charts/chart-model.js';
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
  formatPercentagePoints,
  formatYears,
  withOutcomeLabels,
} from './format.js';
import { roiLadder, roiVerdict } from './roi-verdict.js';

/**
 * The ROI waterfall: each monetized benefit over the program's horizon steps up, each cost line steps
 * down, the net closes; titled with the program's verdict so chart and page quote the same figure.
 */
export function roiWaterfall(report: ProgramRoiReport): WaterfallModel {
  const years = report.program.horizonYears;
  return {
    id: 'roi-waterfall',
    kind: 'waterfall',
    title: roiVerdict(report).chartTitle,
    description: `Confidence-adjusted benefits over ${formatYears(years)} by source, minus the fully loaded costs, in ${report.currency}.`,
    rows: [
      ...report.benefits.map((b) => ({
        label: b.label,
        kind: 'benefit' as const,
        amount: Number(b.annualValueAdjusted) * years,
      })),
      ...report.costs.map((c) => ({ label: c.label, kind: 'cost' as const, amount: Number(c.amount) })),
    ],
    options: { currency: report.currency, netLabel: 'Net benefit' },
  };
}

/** The method details behind the verdict, for the "How this was computed" disclosure. */
export function methodDetails(report: ProgramRoiReport): string[] {
  const b = report.bootstrap;
  return [
    ...(b
      ? [
          `Interval: ${b.methodName}, over ${formatCount(b.participants)} participants.`,
          `Percentile interval ${b.percentile.lowerPercent}% to ${b.percentile.upperPercent}%${b.bca ? `; BCa interval ${b.bca.lowerPercent}% to ${b.bca.upperPercent}%` : ''}; the verdict uses the ${b.conservativeFrom === 'bca' ? 'BCa' : 'percentile'} interval.`,
          ...(b.bcaUnavailable ? [`BCa unavailable: ${b.bcaUnavailable}`] : []),
          b.note,
        ]
      : report.bootstrapUnavailable
        ? [withOutcomeLabels(report.bootstrapUnavailable)]
        : []),
    ...(report.interval ? [`Every effect at its low or high end: ${report.interval.note}.`] : []),
    ...report.assumptions,
  ];
}

/** View model of the program ROI page: the verdict, the ladder to it, then every figure with its source. */
export function presentProgramRoi(program: Program, report: ProgramRoiReport, forecast?: ForecastVersion) {
  const c = report.currency;
  const years = formatYears(report.program.horizonYears);
  return {
    title: `${program.name}: ROI`,
    program: { name: program.name, perspective: report.program.perspective, horizon: years },
    verdict: roiVerdict(report),
    ladder: roiLadder(report, forecast),
    howComputed: methodDetails(report),
    effectsAsOf: report.effectsAsOf ? formatDate(report.effectsAsOf) : null,
    dataAsOf: report.dataAsOf ? formatDate(report.dataAsOf) : null,
    facts: {
      benefit: formatMoney(report.adjusted.benefit, c),
      cost: formatMoney(report.adjusted.cost, c),
      net: formatMoney(report.adjusted.netBenefit, c),
      perDollar: formatMoneyCents(report.adjusted.benefitCostRatio, c),
      payback: report.adjusted.paybackMonths === null ? 'never' : formatMonths(report.adjusted.paybackMonths),
    },
    benefits: report.benefits.map((b) => ({
      label: b.label,
      method: b.method,
      effect: `${formatAmountOf(b.unitsPerParticipant, b.unit, c)} a participant x ${formatCount(b.participants)} participants`,
      value: `${formatMoneyCents(b.valuePerUnit, c)} per ${b.unit}`,
      source: b.source,
      confidence: formatPercent(b.confidencePercent),
      annual: formatMoney(b.annualValue, c),
      annualAdjusted: formatMoney(b.annualValueAdjusted, c),
    })),
    costs: report.costs.map((x) => ({ label: x.label, amount: formatMoney(x.amount, c) })),
    sensitivity: report.sensitivity.map((s) => ({
      assumption: s.assumption,
      minRoiPercent: formatPercent(s.minRoiPercent),
      maxRoiPercent: formatPercent(s.maxRoiPercent),
      swing: formatPercentagePoints(s.swing),
    })),
    intangibles: report.intangibles,
    events: report.confoundingEvents.map((e) => ({
      title: e.title,
      when: formatDateSpan(e.startsOn, e.endsOn),
    })),
    evidence: report.evidence.map((e) => ({
      title: e.title,
      kind: e.kind.replace(/_/g, ' '),
      author: e.author,
      recordedOn: formatDateOr(e.recordedOn),
      bodyHtml: e.bodyHtml,
    })),
    warnings: report.warnings.map(withOutcomeLabels),
  };
}
