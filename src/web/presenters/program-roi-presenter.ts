import type { ProgramRoiReport } from '../../reports/program-roi-report-service.js';
import type { WaterfallModel } from '../../reports/charts/chart-model.js';
import type { Program } from '../../cohorts/model.js';

const money = (amount: string, currency: string) =>
  `${currency} ${Number(amount).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;

/** The ROI waterfall: each monetized benefit steps up, each cost line steps down, the net closes. */
export function roiWaterfall(report: ProgramRoiReport): WaterfallModel {
  return {
    id: 'roi-waterfall',
    kind: 'waterfall',
    title: `Where the ${report.adjusted.roiPercent}% ROI comes from`,
    description: `Confidence-adjusted annual benefits by source, minus the fully loaded costs, in ${report.currency}.`,
    rows: [
      ...report.benefits.map((b) => ({
        label: b.label,
        kind: 'benefit' as const,
        amount: Number(b.annualValueAdjusted),
      })),
      ...report.costs.map((c) => ({ label: c.label, kind: 'cost' as const, amount: Number(c.amount) })),
    ],
    options: { currency: report.currency, netLabel: 'Net benefit' },
  };
}

/** View model of the program ROI page: every figure with its unit, method and source. */
export function presentProgramRoi(program: Program, report: ProgramRoiReport) {
  const c = report.currency;
  return {
    title: `${program.name}: ROI`,
    program: {
      name: program.name,
      perspective: report.program.perspective,
      horizonYears: report.program.horizonYears,
    },
    bootstrap: report.bootstrap && {
      conservative: `${report.bootstrap.conservativeRoiPercent}%`,
      from: report.bootstrap.conservativeFrom === 'bca' ? 'BCa' : 'percentile',
      level: `${Math.round(report.bootstrap.confidence * 100)}%`,
      methodName: report.bootstrap.methodName,
      percentile: `${report.bootstrap.percentile.lowerPercent}% to ${report.bootstrap.percentile.upperPercent}%`,
      bca: report.bootstrap.bca
        ? `${report.bootstrap.bca.lowerPercent}% to ${report.bootstrap.bca.upperPercent}%`
        : null,
      bcaUnavailable: report.bootstrap.bcaUnavailable,
      participants: report.bootstrap.participants.toLocaleString('en-US'),
      note: report.bootstrap.note,
    },
    bootstrapUnavailable: report.bootstrapUnavailable,
    effectsAsOf: report.effectsAsOf?.slice(0, 10) ?? null,
    dataAsOf: report.dataAsOf ?? null,
    headline: {
      roiPercent: `${report.adjusted.roiPercent}%`,
      measuredRoiPercent: `${report.unadjusted.roiPercent}%`,
      range: report.interval
        ? `${report.interval.lower.roiPercent}% to ${report.interval.upper.roiPercent}%`
        : null,
      rangeNote: report.interval?.note ?? null,
      benefit: money(report.adjusted.benefit, c),
      cost: money(report.adjusted.cost, c),
      net: money(report.adjusted.netBenefit, c),
      bcr: report.adjusted.benefitCostRatio,
      payback: report.adjusted.paybackMonths === null ? 'never' : `${report.adjusted.paybackMonths} months`,
    },
    benefits: report.benefits.map((b) => ({
      label: b.label,
      method: b.method,
      effect: `${b.unitsPerParticipant} ${b.unit} x ${b.participants.toLocaleString('en-US')} participants`,
      value: `${money(b.valuePerUnit, c)} per ${b.unit}`,
      source: b.source,
      confidence: `${b.confidencePercent}%`,
      annual: money(b.annualValue, c),
      annualAdjusted: money(b.annualValueAdjusted, c),
    })),
    costs: report.costs.map((x) => ({ label: x.label, amount: money(x.amount, c) })),
    sensitivity: report.sensitivity.map((s) => ({
      ...s,
      minRoiPercent: `${s.minRoiPercent}%`,
      maxRoiPercent: `${s.maxRoiPercent}%`,
      swing: `${s.swing} points`,
    })),
    intangibles: report.intangibles,
    events: report.confoundingEvents.map((e) => ({
      title: e.title,
      when: e.endsOn ? `${e.startsOn} to ${e.endsOn}` : `from ${e.startsOn}`,
    })),
    evidence: report.evidence.map((e) => ({
      title: e.title,
      kind: e.kind.replace('_', ' '),
      author: e.author,
      recordedOn: e.recordedOn,
      bodyHtml: e.bodyHtml,
    })),
    warnings: report.warnings,
    assumptions: report.assumptions,
  };
}
