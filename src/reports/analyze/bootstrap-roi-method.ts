/** `yardstick analyze bootstrap-roi`: participant bootstrap of ROI with percentile and BCa intervals. */
import { z } from 'zod';
import { bootstrapRoi } from '../roi/bootstrap-roi.js';
import { CONFIDENCE_OPTION, SEED_OPTION, confidenceSchema, interval, pct, seedSchema } from './common.js';
import type { AnalyzeMethod } from './method.js';

const decimal = z.union([
  z.number(),
  z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'expected a plain decimal such as 1250.50'),
]);

const schema = z
  .strictObject({
    confidence: confidenceSchema.default(0.95),
    seed: seedSchema.default(1),
    resamples: z
      .number()
      .int('resamples must be a whole number')
      .min(2, 'resamples must be at least 2')
      .default(2000),
    fixedCost: decimal.refine((v) => Number(v) >= 0, 'fixedCost cannot be negative'),
    participants: z.number().int('participants must be a whole number').min(1).optional(),
    conservativeFrom: z.enum(['bca', 'percentile']).default('bca'),
    benefitPerParticipant: z.array(z.number()).min(2, 'the bootstrap needs at least 2 participants'),
    costPerParticipant: z.array(z.number()).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.costPerParticipant && v.costPerParticipant.length !== v.benefitPerParticipant.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['costPerParticipant'],
        message: `costPerParticipant has ${v.costPerParticipant.length} values but benefitPerParticipant has ${v.benefitPerParticipant.length}; give one of each per participant`,
      });
    }
  });

type BootstrapRoiInput = z.output<typeof schema>;

interface Interval {
  lower: number;
  upper: number;
  lowerPercent: number;
  upperPercent: number;
  positions: [number, number];
}

export interface BootstrapRoiMethodResult {
  roi: number;
  roiPercent: number;
  conservativeRoi: number;
  conservativeRoiPercent: number;
  conservativeFrom: 'bca' | 'percentile';
  confidence: number;
  percentile: Interval;
  bca: (Interval & { biasCorrection: number; acceleration: number }) | null;
  bcaUnavailable: string | null;
  resamples: number;
  seed: number;
  sampleSize: number;
  participants: number;
}

export const bootstrapRoiMethod: AnalyzeMethod<BootstrapRoiInput, BootstrapRoiMethodResult> = {
  id: 'bootstrap-roi',
  methodName: 'Participant bootstrap of Phillips ROI (percentile and BCa intervals)',
  summary: 'ROI with a seeded bootstrap interval over participants; the conservative lower bound headlined',
  reference: 'boot::boot(data, statistic, R); boot::boot.ci(type = c("perc", "bca"))',
  formats: ['json', 'csv'],
  options: [
    CONFIDENCE_OPTION,
    SEED_OPTION,
    {
      flags: '--resamples <r>',
      description: 'bootstrap resamples, default 2000',
      key: 'resamples',
      type: 'number',
    },
    {
      flags: '--fixed-cost <amount>',
      description: 'program cost not varying by participant (required for CSV)',
      key: 'fixedCost',
      type: 'number',
    },
    {
      flags: '--participants <n>',
      description: 'participants the program covers, default the sample size',
      key: 'participants',
      type: 'number',
    },
    {
      flags: '--conservative-from <interval>',
      description: 'bca (default) or percentile',
      key: 'conservativeFrom',
      type: 'string',
    },
  ],
  argumentPaths: { benefitPerParticipant: 'benefitPerParticipant', fixedCost: 'fixedCost' },
  schema,
  fromCsv(columns) {
    columns.requireRows(2);
    const benefit = columns.numbers('benefit');
    const cost = columns.has('cost') ? columns.numbers('cost') : undefined;
    return {
      value: { benefitPerParticipant: benefit, ...(cost ? { costPerParticipant: cost } : {}) },
      locate: (path) => {
        const [key, index] = path;
        if (path.length === 1 && key === 'benefitPerParticipant') return 'CSV';
        const row = typeof index === 'number' ? columns.table.rows[index] : undefined;
        if (row && key === 'benefitPerParticipant') return `CSV row ${row.line}, column benefit`;
        if (row && key === 'costPerParticipant') return `CSV row ${row.line}, column cost`;
        return undefined;
      },
    };
  },
  run(input) {
    const r = bootstrapRoi({
      benefitPerParticipant: input.benefitPerParticipant,
      costPerParticipant: input.costPerParticipant,
      fixedCost: input.fixedCost,
      participants: input.participants,
      resamples: input.resamples,
      seed: input.seed,
      confidence: input.confidence,
      conservativeFrom: input.conservativeFrom,
    });
    const n = input.benefitPerParticipant.length;
    const toInterval = (i: { lower: number; upper: number; positions: [number, number] }): Interval => ({
      lower: i.lower,
      upper: i.upper,
      lowerPercent: i.lower * 100,
      upperPercent: i.upper * 100,
      positions: i.positions,
    });
    const warnings: string[] = [];
    if (r.bcaUnavailable)
      warnings.push(`no BCa interval: ${r.bcaUnavailable}; the percentile interval is used`);
    if (input.conservativeFrom === 'bca' && r.conservativeFrom === 'percentile' && !r.bcaUnavailable) {
      warnings.push('the conservative ROI comes from the percentile interval');
    }
    const [lo, hi] = r.percentile.positions;
    if (lo < 1 || hi > input.resamples) {
      warnings.push(
        `too few resamples (${input.resamples}) for a ${input.confidence} interval: its ends are the extreme replicates; use more resamples`,
      );
    } else if (input.resamples < 1000) {
      warnings.push(`${input.resamples} resamples: BCa intervals need about 1,000 or more to be stable`);
    }
    if (n < 20)
      warnings.push(
        `only ${n} participants were sampled: bootstrap intervals are too narrow for very small samples`,
      );
    if (r.conservativeRoi < 0 && r.roi > 0) {
      warnings.push('the lower bound is below zero: with this sample the program may not pay back');
    }
    return {
      summary: {
        participantsSampled: n,
        participants: input.participants ?? n,
        resamples: input.resamples,
        seed: input.seed,
        confidence: input.confidence,
      },
      result: {
        roi: r.roi,
        roiPercent: r.roi * 100,
        conservativeRoi: r.conservativeRoi,
        conservativeRoiPercent: r.conservativeRoi * 100,
        conservativeFrom: r.conservativeFrom,
        confidence: input.confidence,
        percentile: toInterval(r.percentile),
        bca: r.bca
          ? { ...toInterval(r.bca), biasCorrection: r.bca.biasCorrection, acceleration: r.bca.acceleration }
          : null,
        bcaUnavailable: r.bcaUnavailable,
        resamples: input.resamples,
        seed: input.seed,
        sampleSize: n,
        participants: input.participants ?? n,
      },
      assumptions: [
        'Participants are independent draws from the population the program covers; totals are participants x sample means.',
        'Each benefit is already monetized and attributed to the program (per participant, one currency, one period).',
        'The interval covers sampling variation among participants only, not uncertainty in the monetization assumptions (see roi --sensitivity).',
        `Resampling uses xoshiro128** seeded with ${input.seed}; the same seed and data give the same interval.`,
      ],
      warnings,
    };
  },
  human(output) {
    const r = output.result;
    const lines = [
      `ROI ${pct(r.roi)}; conservative ROI ${pct(r.conservativeRoi)} (lower end of the ${r.conservativeFrom === 'bca' ? 'BCa' : 'percentile'} interval)`,
      `percentile: ${interval(r.percentile.lowerPercent, r.percentile.upperPercent, r.confidence, 1)} (percent)`,
    ];
    if (r.bca)
      lines.push(`BCa: ${interval(r.bca.lowerPercent, r.bca.upperPercent, r.confidence, 1)} (percent)`);
    lines.push(
      `${r.resamples} resamples, seed ${r.seed}, ${r.sampleSize} participants sampled, ${r.participants} covered`,
    );
    return lines;
  },
  example: {
    json: {
      fixedCost: 3600,
      participants: 30,
      resamples: 2000,
      seed: 20260401,
      confidence: 0.95,
      benefitPerParticipant: [
        420, 380, 0, 510, 295, 460, 130, 610, 350, 0, 405, 520, 275, 390, 0, 445, 300, 560, 215, 480, 365, 0,
        430, 340, 500, 260, 410, 155, 470, 385,
      ],
    },
    csv:
      'benefit\n' +
      [
        420, 380, 0, 510, 295, 460, 130, 610, 350, 0, 405, 520, 275, 390, 0, 445, 300, 560, 215, 480, 365, 0,
        430, 340, 500, 260, 410, 155, 470, 385,
      ]
        .map((v) => `${v}\n`)
        .join(''),
    csvArgs: ['--fixed-cost', '3600', '--participants', '30', '--seed', '20260401'],
  },
};
