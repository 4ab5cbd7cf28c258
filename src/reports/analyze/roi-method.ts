/**
 * `yardstick analyze roi`: Phillips ROI (net benefit, ROI %, benefit-cost ratio, payback) from a total
 * benefit and cost, or from benefit items and a fully loaded cost model, with an optional one-way
 * sensitivity table. All arithmetic is exact, so the worked examples reproduce to the cent.
 */
import { z } from 'zod';
import { compare, ZERO } from '../roi/exact.js';
import { listForMessage } from '../stats/matrix-errors.js';
import { programRoi, type ProgramInput } from '../roi/program-roi.js';
import { sensitivityTable } from '../roi/sensitivity.js';
import { decimalProduct, exactJson, type ExactJson } from './exact-json.js';
import type { AnalyzeMethod } from './method.js';

/** A money amount or rate as a JSON number or a decimal string ("1250.50"); read exactly. */
const decimal = z.union([
  z.number(),
  z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'expected a plain decimal such as 1250.50'),
]);
const amount = decimal.refine((v) => Number(v) >= 0, 'amounts cannot be negative');
const fraction = decimal.refine(
  (v) => Number(v) >= 0 && Number(v) <= 1,
  'expected a fraction from 0 to 1 (0.8 = 80%)',
);

const benefitItem = z.strictObject({
  label: z.string().min(1, 'label cannot be empty'),
  units: decimal,
  valuePerUnit: decimal,
  confidence: fraction.optional(),
});

const costs = z.strictObject({
  development: z
    .strictObject({ total: amount, offerings: z.number().int().min(1, 'offerings must be at least 1') })
    .optional(),
  delivery: amount.optional(),
  platform: amount.optional(),
  facilitation: amount.optional(),
  participantTime: z
    .strictObject({
      hoursPerParticipant: amount,
      hourlyWage: amount,
      benefitsLoad: amount,
      participants: z.number().int('participants must be a whole number').min(0),
    })
    .optional(),
  evaluation: amount.optional(),
  other: z.array(z.strictObject({ label: z.string().min(1), amount })).optional(),
});

const schema = z
  .strictObject({
    benefit: decimal.optional(),
    benefitItems: z.array(benefitItem).min(1, 'benefitItems needs at least one item').optional(),
    adjustForConfidence: z.boolean().default(false),
    horizonYears: z.number().int('horizonYears must be a whole number').min(1).max(50).default(1),
    discountRate: decimal
      .refine((v) => Number(v) >= 0, 'discountRate cannot be negative; 0.05 means 5%')
      .optional(),
    annualDecay: fraction.optional(),
    intangibles: z.array(z.string()).default([]),
    cost: decimal.optional(),
    costs: costs.optional(),
    sensitivity: z.boolean().default(false),
    stepsPercent: z.array(z.number().gt(-100, 'steps must be above -100 (percent)')).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.benefit === undefined) === (v.benefitItems === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'give either benefit (a total) or benefitItems (units x value per unit), not both or neither',
      });
    }
    if ((v.cost === undefined) === (v.costs === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give either cost (the fully loaded total) or costs (its categories), not both or neither',
      });
    }
  });

type RoiInput = z.output<typeof schema>;

export interface RoiMethodResult {
  benefit: ExactJson;
  cost: ExactJson;
  netBenefit: ExactJson;
  /** ROI as a ratio: 2 means 200%. */
  roi: ExactJson;
  roiPercent: ExactJson;
  benefitCostRatio: ExactJson;
  paybackMonths: ExactJson | null;
  benefitModel: {
    lines: { label: string; unadjusted: ExactJson; confidence: ExactJson; adjusted: ExactJson }[];
    adjustedForConfidence: boolean;
    annualUsed: ExactJson;
    years: { year: number; benefit: ExactJson; discountFactor: ExactJson; presentValue: ExactJson }[];
    presentValue: ExactJson;
    intangibles: string[];
  };
  costBreakdown: { lines: { category: string; label: string; amount: ExactJson }[]; total: ExactJson };
  sensitivity: {
    baseRoiPercent: ExactJson;
    stepsPercent: number[];
    rows: {
      assumption: string;
      cells: { changePercent: number; roiPercent: ExactJson; capped: boolean }[];
      swing: ExactJson;
    }[];
  } | null;
}

/** The calculator input (program form) for an analyze roi input; a total becomes one item or line. */
export function toProgram(input: RoiInput): ProgramInput {
  return {
    benefit: {
      items: input.benefitItems ?? [{ label: 'Benefit', units: 1, valuePerUnit: input.benefit! }],
      adjustForConfidence: input.adjustForConfidence,
      horizonYears: input.horizonYears,
      ...(input.discountRate !== undefined ? { discountRate: input.discountRate } : {}),
      ...(input.annualDecay !== undefined ? { annualDecay: input.annualDecay } : {}),
      intangibles: input.intangibles,
    },
    cost: input.costs ?? { other: [{ label: 'Fully loaded cost', amount: input.cost! }] },
  };
}

export const roiMethod: AnalyzeMethod<RoiInput, RoiMethodResult> = {
  id: 'roi',
  methodName: 'Phillips ROI (level 5): net benefit, ROI %, benefit-cost ratio, payback',
  summary:
    'Phillips ROI from benefit and fully loaded cost, exact to the cent, with optional sensitivity table',
  reference: 'closed form (B - C) / C x 100, exact fractions; recomputed by hand in R',
  formats: ['json', 'csv'],
  options: [
    {
      flags: '--adjust-for-confidence',
      description: "multiply each benefit by its confidence (Phillips' error adjustment)",
      key: 'adjustForConfidence',
      type: 'boolean',
    },
    {
      flags: '--horizon-years <n>',
      description: 'years the benefit is counted, default 1',
      key: 'horizonYears',
      type: 'number',
    },
    {
      flags: '--discount-rate <rate>',
      description: 'annual discount rate as a fraction, default 0',
      key: 'discountRate',
      type: 'number',
    },
    {
      flags: '--annual-decay <fraction>',
      description: 'share of the effect lost each year after the first, default 0',
      key: 'annualDecay',
      type: 'number',
    },
    {
      flags: '--sensitivity',
      description: 'add the one-way sensitivity table (each assumption -50%..+50%)',
      key: 'sensitivity',
      type: 'boolean',
    },
  ],
  schema,
  fromCsv(columns) {
    columns.requireRows(2);
    const kinds = columns.choices('kind', ['benefit', 'cost', 'intangible']);
    const labels = columns.texts('label');
    const units = columns.texts('units', { optional: true });
    const values = columns.texts('value_per_unit', { optional: true });
    const confidence = columns.texts('confidence', { optional: true });
    const rows = columns.table.rows;
    const benefitItems: Record<string, unknown>[] = [];
    const other: Record<string, unknown>[] = [];
    const intangibles: string[] = [];
    const missingValue: number[] = [];
    const benefitRowIndex: number[] = [];
    rows.forEach((row, i) => {
      const kind = kinds[i];
      if (kind === undefined) return;
      if (kind === 'intangible') {
        if (labels[i] !== undefined) intangibles.push(labels[i]!);
        return;
      }
      if (values[i] === undefined) {
        missingValue.push(row.line);
        return;
      }
      if (kind === 'benefit') {
        benefitRowIndex.push(i);
        benefitItems.push({
          label: labels[i],
          units: units[i] ?? '1',
          valuePerUnit: values[i],
          ...(confidence[i] !== undefined ? { confidence: confidence[i] } : {}),
        });
      } else if (kind === 'cost') {
        const plain = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
        const amountText =
          units[i] !== undefined && plain.test(units[i]!) && plain.test(values[i]!)
            ? decimalProduct(units[i]!, values[i]!)
            : values[i];
        other.push({ label: labels[i], amount: amountText });
      }
    });
    if (missingValue.length) {
      columns.addProblem({
        path: 'CSV column value_per_unit',
        message: `the CSV column value_per_unit is empty on benefit or cost ${missingValue.length === 1 ? 'row' : 'rows'} ${listForMessage(missingValue, 10)}`,
      });
    }
    return {
      value: {
        benefitItems,
        costs: { other },
        intangibles,
      },
      locate: (path) => {
        const [key, index, field] = path;
        if (key === 'benefitItems' && typeof index === 'number') {
          const row = rows[benefitRowIndex[index]!];
          const column = {
            label: 'label',
            units: 'units',
            valuePerUnit: 'value_per_unit',
            confidence: 'confidence',
          }[String(field)];
          return row ? `CSV row ${row.line}${column ? `, column ${column}` : ''}` : undefined;
        }
        if (key === 'benefitItems') return 'CSV';
        return undefined;
      },
    };
  },
  run(input) {
    const program = toProgram(input);
    const { benefit, cost, roi } = programRoi(program);
    const table = input.sensitivity ? sensitivityTable(program, input.stepsPercent) : null;
    const warnings: string[] = [];
    const unadjusted = (input.benefitItems ?? []).filter(
      (i) => i.confidence !== undefined && Number(i.confidence) < 1,
    );
    if (unadjusted.length && !input.adjustForConfidence) {
      warnings.push(
        `${unadjusted.length} benefit item(s) carry a confidence below 1 that is not applied; set adjustForConfidence for Phillips' conservative estimate`,
      );
    }
    if (roi.paybackMonths === null)
      warnings.push('the annual benefit is not positive, so the cost is never paid back');
    if (table) {
      const flips = table.rows.filter(
        (r) => compare(r.minRoiPercent, ZERO) < 0 && compare(r.maxRoiPercent, ZERO) > 0,
      );
      if (flips.length) {
        warnings.push(
          `the ROI changes sign within the sensitivity range of ${flips.map((r) => r.assumption.name).join(', ')}; the conclusion hinges on ${flips.length > 1 ? 'these assumptions' : 'this assumption'}`,
        );
      }
    }
    return {
      summary: {
        benefitItems: benefit.lines.length,
        costLines: cost.lines.length,
        horizonYears: input.horizonYears,
        adjustForConfidence: input.adjustForConfidence,
      },
      result: {
        benefit: exactJson(roi.benefit),
        cost: exactJson(roi.cost),
        netBenefit: exactJson(roi.netBenefit),
        roi: exactJson(roi.roi, 4),
        roiPercent: exactJson(roi.roiPercent, 1),
        benefitCostRatio: exactJson(roi.benefitCostRatio, 2),
        paybackMonths: roi.paybackMonths ? exactJson(roi.paybackMonths, 1) : null,
        benefitModel: {
          lines: benefit.lines.map((l) => ({
            label: l.label,
            unadjusted: exactJson(l.unadjusted),
            confidence: exactJson(l.confidence),
            adjusted: exactJson(l.adjusted),
          })),
          adjustedForConfidence: benefit.adjustedForConfidence,
          annualUsed: exactJson(benefit.annualUsed),
          years: benefit.years.map((y) => ({
            year: y.year,
            benefit: exactJson(y.benefit),
            discountFactor: exactJson(y.discountFactor, 6),
            presentValue: exactJson(y.presentValue),
          })),
          presentValue: exactJson(benefit.presentValue),
          intangibles: benefit.intangibles,
        },
        costBreakdown: {
          lines: cost.lines.map((l) => ({
            category: l.category,
            label: l.label,
            amount: exactJson(l.amount),
          })),
          total: exactJson(cost.total),
        },
        sensitivity: table
          ? {
              baseRoiPercent: exactJson(table.baseRoiPercent, 1),
              stepsPercent: table.stepsPercent,
              rows: table.rows.map((r) => ({
                assumption: r.assumption.name,
                cells: r.cells.map((c) => ({
                  changePercent: c.changePercent,
                  roiPercent: exactJson(c.roiPercent, 1),
                  capped: c.capped,
                })),
                swing: exactJson(r.swing, 1),
              })),
            }
          : null,
      },
      assumptions: [
        'Benefits are already isolated to the program (by a randomized, difference-in-differences or matched comparison) and monetized; this calculation does not attribute.',
        'Benefit and cost cover the same people and period, in one currency; cost is fully loaded (development, delivery, platform, facilitation, participant time, evaluation).',
        input.horizonYears > 1
          ? `Benefit counted over ${input.horizonYears} years with decay ${String(input.annualDecay ?? 0)} a year, discounted at ${String(input.discountRate ?? 0)} at the end of each year.`
          : 'Benefit is the first-year benefit (Phillips default), undiscounted unless a discount rate is given.',
        ...(benefit.intangibles.length
          ? [`Intangibles listed, never monetized: ${benefit.intangibles.join('; ')}.`]
          : []),
        'The ROI is a point estimate; use bootstrap-roi for sampling uncertainty and the sensitivity table for the monetization assumptions.',
      ],
      warnings,
    };
  },
  human(output) {
    const r = output.result;
    const lines = [
      `ROI ${r.roiPercent.display}% (exact ${r.roiPercent.exact}%; ratio ${r.roi.display})`,
      `benefit ${r.benefit.display}, cost ${r.cost.display}, net benefit ${r.netBenefit.display}`,
      `benefit-cost ratio ${r.benefitCostRatio.display}; payback ${r.paybackMonths ? `${r.paybackMonths.display} months` : 'never'}`,
      'benefit items:',
      ...r.benefitModel.lines.map(
        (l) =>
          `  ${l.label}: ${l.unadjusted.display}${r.benefitModel.adjustedForConfidence ? ` x ${l.confidence.display} = ${l.adjusted.display}` : ''}`,
      ),
      'cost lines:',
      ...r.costBreakdown.lines.map((l) => `  ${l.label}: ${l.amount.display}`),
    ];
    if (r.sensitivity) {
      lines.push(
        `sensitivity (ROI % at ${r.sensitivity.stepsPercent.map((s) => `${s > 0 ? '+' : ''}${s}%`).join(' / ')}):`,
      );
      for (const row of r.sensitivity.rows) {
        lines.push(
          `  ${row.assumption}: ${row.cells.map((c) => c.roiPercent.display).join(' / ')} (swing ${row.swing.display} points)`,
        );
      }
    }
    return lines;
  },
  example: {
    json: {
      benefitItems: [
        { label: 'Contribution increase ($25/month)', units: 12, valuePerUnit: 25 },
        { label: 'Employer match captured', units: 1, valuePerUnit: 50 },
        { label: 'First-year claims reduction', units: 1, valuePerUnit: 100 },
      ],
      cost: 150,
    },
    csv:
      'kind,label,units,value_per_unit,confidence\n' +
      'benefit,Absence days avoided (1.5 days x 1000 people),1500,100,\n' +
      'benefit,Separations avoided (2% of 1000),20,6000,\n' +
      'benefit,Productivity index points,3,30000,\n' +
      'cost,Development + platform + facilitation,1,75000,\n' +
      'intangible,Team climate,,,\n',
  },
};
