import type { ProgramRoiReport } from '../../reports/program-roi-report-service.js';
import type { Forecast } from '../../reports/program-forecast-service.js';
import type { ForecastVersion, Program } from '../../cohorts/model.js';

const money = (amount: string, currency: string) =>
  `${currency} ${Number(amount).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/**
 * The one-page board summary: the conservative ROI first, every number with the method behind it,
 * the dates the data and the estimates are as of, intangibles listed (never monetized).
 */
export function presentBoardSummary(
  program: Program,
  report: ProgramRoiReport,
  forecast: ForecastVersion | undefined,
  dataAsOf: string | null,
) {
  const c = report.currency;
  const methods = [...new Set(report.benefits.map((b) => b.method))].join('; ');
  const phillips = `Phillips ROI, confidence-adjusted, effects by ${methods}`;
  const f = forecast?.forecast as Forecast | undefined;
  const lastYear = f?.years.at(-1);
  return {
    title: `${program.name}: board summary`,
    name: program.name,
    programId: program.id,
    preparedOn: report.builtAt.slice(0, 10),
    dataAsOf: dataAsOf ?? 'unknown',
    effectsAsOf: report.effectsAsOf?.slice(0, 10) ?? 'unknown',
    windows: {
      pre: program.preWindow.start ? `${program.preWindow.start} to ${program.preWindow.end}` : 'none',
      post: program.postWindow.start ? `${program.postWindow.start} to ${program.postWindow.end}` : 'none',
    },
    headline: report.bootstrap
      ? {
          value: `${report.bootstrap.conservativeRoiPercent}%`,
          method: `lower end of the ${Math.round(report.bootstrap.confidence * 100)}% ${report.bootstrap.conservativeFrom === 'bca' ? 'BCa' : 'percentile'} interval of a participant bootstrap (${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed}, ${report.bootstrap.participants} participants)`,
        }
      : {
          value: report.interval ? `${report.interval.lower.roiPercent}%` : `${report.adjusted.roiPercent}%`,
          method: report.interval
            ? 'ROI with every effect at the lower end of its interval (no person-level data for a bootstrap)'
            : 'confidence-adjusted point estimate; no interval is available',
        },
    figures: [
      { label: 'ROI', value: `${report.adjusted.roiPercent}%`, method: phillips },
      {
        label: 'ROI as measured',
        value: `${report.unadjusted.roiPercent}%`,
        method: 'Phillips ROI without the confidence adjustment',
      },
      ...(report.bootstrap
        ? [
            {
              label: 'Bootstrap interval',
              value: report.bootstrap.bca
                ? `${report.bootstrap.bca.lowerPercent}% to ${report.bootstrap.bca.upperPercent}%`
                : `${report.bootstrap.percentile.lowerPercent}% to ${report.bootstrap.percentile.upperPercent}%`,
              method: report.bootstrap.bca
                ? 'BCa, participant bootstrap'
                : 'percentile, participant bootstrap',
            },
          ]
        : []),
      {
        label: 'Benefit',
        value: money(report.adjusted.benefit, c),
        method: `${phillips}, over ${program.benefitHorizonYears} year(s), ${program.moneyPerspective} perspective`,
      },
      {
        label: 'Fully loaded cost',
        value: money(report.adjusted.cost, c),
        method:
          'Phillips cost model (development prorated, delivery, platform, facilitation, participant time, evaluation)',
      },
      {
        label: 'Net benefit',
        value: money(report.adjusted.netBenefit, c),
        method: 'benefit minus fully loaded cost',
      },
      { label: 'Benefit-cost ratio', value: report.adjusted.benefitCostRatio, method: 'benefit / cost' },
      {
        label: 'Payback',
        value: report.adjusted.paybackMonths === null ? 'never' : `${report.adjusted.paybackMonths} months`,
        method: 'cost / (first-year benefit / 12)',
      },
      ...(lastYear
        ? [
            {
              label: `ROI over ${f!.years.length} year(s), forecast`,
              value: `${lastYear.cumulativeRoiPercent}%`,
              method: `rolling forecast v${forecast!.version} of ${forecast!.createdAt.toISOString().slice(0, 10)}: discount ${+(Number(forecast!.discountRate) * 100).toFixed(2)}%, decay ${+(Number(forecast!.effectDecay) * 100).toFixed(2)}% a year`,
            },
          ]
        : []),
    ],
    benefits: report.benefits.map((b) => ({
      label: b.label,
      effect: `${Number(b.unitsPerParticipant).toFixed(3)} ${b.unit} x ${b.participants.toLocaleString('en-US')}`,
      method: b.method,
      value: money(b.annualValueAdjusted, c),
      source: `${b.source} (${b.confidencePercent}% confidence)`,
    })),
    intangibles: report.intangibles,
    events: report.confoundingEvents.map(
      (e) => `${e.title} (${e.endsOn ? `${e.startsOn} to ${e.endsOn}` : `from ${e.startsOn}`})`,
    ),
    evidence: report.evidence.map((e) => `${e.title}${e.author ? `, ${e.author}` : ''} (${e.recordedOn})`),
    warnings: report.warnings,
  };
}
