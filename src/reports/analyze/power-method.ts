/**
 * `yardstick analyze power`: power, sample size or minimum detectable effect for a planned pilot
 * (two-sample t test on Cohen's d, two proportions on Cohen's h, and cluster-randomized designs).
 * Give two of nPerGroup, effect and power; the third is solved. Works from options alone.
 */
import { z } from 'zod';
import {
  clusteredMinimumDetectableEffect,
  clusteredSampleSize,
  cohenH,
  tTestMinimumDetectableEffect,
  tTestPower,
  tTestSampleSize,
  twoProportionMinimumDetectableEffect,
  twoProportionPower,
  twoProportionSampleSize,
} from '../stats/power.js';
import { fmt, pct } from './common.js';
import type { AnalyzeMethod, MethodReport } from './method.js';

const probability = (what: string) =>
  z.number().gt(0, `${what} is between 0 and 1`).lt(1, `${what} is between 0 and 1`);

const schema = z
  .strictObject({
    test: z.enum(['t', 'proportions']).default('t'),
    nPerGroup: z.number().min(2, 'nPerGroup must be at least 2').optional(),
    d: z.number().optional(),
    p1: z.number().min(0).max(1).optional(),
    p2: z.number().min(0).max(1).optional(),
    power: probability('power').optional(),
    sigLevel: probability('sigLevel').default(0.05),
    tails: z.enum(['both', 'upper']).default('both'),
    clusterSize: z.number().min(1, 'clusterSize must be at least 1').optional(),
    icc: z.number().min(0, 'icc is between 0 and 1').max(1, 'icc is between 0 and 1').optional(),
    clustersPerGroup: z.number().int('clustersPerGroup must be a whole number').min(1).optional(),
  })
  .superRefine((v, ctx) => {
    const issue = (message: string, path: string[] = []) => ctx.addIssue({ code: 'custom', path, message });
    const clustered = v.clusterSize !== undefined || v.icc !== undefined || v.clustersPerGroup !== undefined;
    if (clustered) {
      if (v.test !== 't') issue('clustered designs are sized for the t test only', ['test']);
      if (v.clusterSize === undefined)
        issue('a clustered design needs clusterSize (learners per cluster)', ['clusterSize']);
      if (v.icc === undefined) issue('a clustered design needs icc (intraclass correlation)', ['icc']);
      if (v.power === undefined) issue('a clustered design needs power', ['power']);
      if ((v.d === undefined) === (v.clustersPerGroup === undefined)) {
        issue(
          'a clustered design needs either d (to size the clusters) or clustersPerGroup (for the detectable effect)',
        );
      }
      return;
    }
    const effectGiven = v.test === 't' ? v.d !== undefined : v.p1 !== undefined && v.p2 !== undefined;
    if (v.test === 'proportions' && (v.p1 === undefined) !== (v.p2 === undefined)) {
      issue('give both p1 and p2 (the two proportions), or neither to solve for the detectable effect');
    }
    if (v.test === 't' && (v.p1 !== undefined || v.p2 !== undefined))
      issue('p1 and p2 belong to test "proportions"');
    const given = [v.nPerGroup !== undefined, effectGiven, v.power !== undefined].filter(Boolean).length;
    if (given !== 2) {
      issue(
        `give exactly two of nPerGroup, the effect (${v.test === 't' ? 'd' : 'p1 and p2'}) and power; the third is solved (${given} given)`,
      );
    }
  });

type PowerInput = z.output<typeof schema>;

const ASSUMPTIONS_T = [
  'Two equal groups, individually randomized, compared with a two-sided two-sample t test.',
  "The effect d is Cohen's d: the difference in means divided by the common standard deviation.",
];

export const powerMethod: AnalyzeMethod<PowerInput, Record<string, unknown>> = {
  id: 'power',
  methodName: 'Power analysis for a two-sample comparison',
  summary:
    'power, sample size or minimum detectable effect of a planned pilot (two-sample, proportions, clustered)',
  reference: 'pwr::pwr.t.test, pwr::pwr.2p.test',
  formats: ['json'],
  options: [
    {
      flags: '--test <t|proportions>',
      description: 't (default) or proportions',
      key: 'test',
      type: 'string',
    },
    { flags: '--n-per-group <n>', description: 'learners per group', key: 'nPerGroup', type: 'number' },
    { flags: '--d <effect>', description: "Cohen's d (t test)", key: 'd', type: 'number' },
    { flags: '--p1 <p>', description: 'treatment proportion (proportions)', key: 'p1', type: 'number' },
    { flags: '--p2 <p>', description: 'control proportion (proportions)', key: 'p2', type: 'number' },
    { flags: '--power <p>', description: 'power, e.g. 0.8', key: 'power', type: 'number' },
    {
      flags: '--sig-level <alpha>',
      description: 'two-sided significance level, default 0.05',
      key: 'sigLevel',
      type: 'number',
    },
    {
      flags: '--tails <both|upper>',
      description: 'rejection regions counted, default both',
      key: 'tails',
      type: 'string',
    },
    {
      flags: '--cluster-size <m>',
      description: 'learners per cluster (clustered design)',
      key: 'clusterSize',
      type: 'number',
    },
    {
      flags: '--icc <rho>',
      description: 'intraclass correlation (clustered design)',
      key: 'icc',
      type: 'number',
    },
    {
      flags: '--clusters-per-group <k>',
      description: 'clusters per arm (clustered design)',
      key: 'clustersPerGroup',
      type: 'number',
    },
  ],
  schema,
  run(input) {
    if (input.clusterSize !== undefined) return runClustered(input);
    return input.test === 'proportions' ? runProportions(input) : runT(input);
  },
  human(output) {
    const r = output.result;
    const solved = String(r.solvedFor);
    const lines = [`solved for ${solved}: ${fmt(r[solved] as number)}`];
    if (r.nPerGroupRounded !== undefined)
      lines.push(`recruit ${String(r.nPerGroupRounded)} learners per group`);
    if (r.clustersPerGroup !== undefined) lines.push(`clusters per group: ${String(r.clustersPerGroup)}`);
    if (r.designEffect !== undefined) lines.push(`design effect ${fmt(r.designEffect as number)}`);
    if (r.power !== undefined)
      lines.push(`power ${pct(r.power as number)} at two-sided alpha ${String(r.sigLevel)}`);
    return lines;
  },
  example: { json: { test: 't', d: 0.3, power: 0.8, sigLevel: 0.05 } },
};

function settingsSummary(input: PowerInput, solvedFor: string): Record<string, unknown> {
  return { test: input.test, solvedFor, sigLevel: input.sigLevel };
}

function runT(input: PowerInput): MethodReport<Record<string, unknown>> {
  const settings = { sigLevel: input.sigLevel, tails: input.tails };
  let result: Record<string, unknown>;
  if (input.power === undefined) {
    result = {
      solvedFor: 'power',
      nPerGroup: input.nPerGroup,
      d: input.d,
      power: tTestPower(input.nPerGroup!, input.d!, settings),
    };
  } else if (input.nPerGroup === undefined) {
    const design = tTestSampleSize(input.d!, input.power, settings);
    result = { solvedFor: 'nPerGroup', ...design };
  } else {
    const design = tTestMinimumDetectableEffect(input.nPerGroup, input.power, settings);
    result = { solvedFor: 'd', ...design };
  }
  result = { test: 't', ...result, sigLevel: input.sigLevel, tails: input.tails };
  return {
    methodName: 'Power of the two-sided two-sample t test (noncentral t)',
    reference:
      input.tails === 'upper'
        ? 'power.t.test(n, delta = d, sd = 1, sig.level)'
        : 'pwr::pwr.t.test(n, d, sig.level, power)',
    summary: settingsSummary(input, String(result.solvedFor)),
    result,
    assumptions: ASSUMPTIONS_T,
    warnings: warnings(input, result),
  };
}

function runProportions(input: PowerInput): MethodReport<Record<string, unknown>> {
  const settings = { sigLevel: input.sigLevel };
  const h = input.p1 !== undefined ? cohenH(input.p1, input.p2!) : undefined;
  let result: Record<string, unknown>;
  if (input.power === undefined) {
    result = {
      solvedFor: 'power',
      nPerGroup: input.nPerGroup,
      h,
      power: twoProportionPower(h!, input.nPerGroup!, settings),
    };
  } else if (input.nPerGroup === undefined) {
    result = { solvedFor: 'nPerGroup', ...twoProportionSampleSize(h!, input.power, settings) };
  } else {
    result = {
      solvedFor: 'h',
      nPerGroup: input.nPerGroup,
      h: twoProportionMinimumDetectableEffect(input.nPerGroup, input.power, settings),
      power: input.power,
    };
  }
  result = { test: 'proportions', p1: input.p1, p2: input.p2, ...result, sigLevel: input.sigLevel };
  return {
    methodName: "Power of the two-sided test of two proportions (Cohen's h, normal approximation)",
    reference: 'pwr::pwr.2p.test(h = ES.h(p1, p2), n, sig.level, power)',
    summary: settingsSummary(input, String(result.solvedFor)),
    result,
    assumptions: [
      'Two equal groups, individually randomized, each learner with one 0/1 outcome.',
      "The effect is Cohen's h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)); a detectable h is on that arcsine scale, not in percentage points.",
    ],
    warnings: warnings(input, result),
  };
}

function runClustered(input: PowerInput): MethodReport<Record<string, unknown>> {
  const settings = { sigLevel: input.sigLevel, tails: input.tails };
  let result: Record<string, unknown>;
  if (input.d !== undefined) {
    const design = clusteredSampleSize(input.d, input.clusterSize!, input.icc!, input.power, settings);
    result = {
      solvedFor: 'nPerGroup',
      d: input.d,
      ...design,
      nPerGroupRounded: Math.ceil(design.nPerGroup - 1e-9),
    };
  } else {
    const design = clusteredMinimumDetectableEffect(
      input.clustersPerGroup!,
      input.clusterSize!,
      input.icc!,
      input.power,
      settings,
    );
    result = { solvedFor: 'd', clustersPerGroup: input.clustersPerGroup, ...design };
  }
  result = {
    test: 't',
    clustered: true,
    clusterSize: input.clusterSize,
    icc: input.icc,
    ...result,
    power: input.power,
    sigLevel: input.sigLevel,
  };
  const clusters = (result.clustersPerGroup as number | undefined) ?? 0;
  return {
    methodName: 'Power of a cluster-randomized two-arm comparison (design effect 1 + (m - 1) ICC)',
    reference: 'pwr::pwr.t.test inflated by the design effect (Donner and Klar 2000)',
    summary: settingsSummary(input, String(result.solvedFor)),
    result,
    assumptions: [
      ...ASSUMPTIONS_T.slice(1),
      'Whole clusters (teams, sites) are randomized; all clusters have about the same size m.',
      'The ICC is the share of outcome variance between clusters, taken from earlier data or the literature.',
    ],
    warnings: [
      ...warnings(input, result),
      ...(clusters > 0 && clusters < 15
        ? [
            `${clusters} clusters per arm: the design-effect approximation is optimistic below about 15 clusters per arm; add clusters or plan a CR2 analysis`,
          ]
        : []),
    ],
  };
}

function warnings(input: PowerInput, result: Record<string, unknown>): string[] {
  const list: string[] = [];
  if (typeof result.power === 'number' && result.power < 0.8 && result.solvedFor === 'power') {
    list.push(
      `power is ${pct(result.power)}: a real effect of this size would often be missed; plan more learners`,
    );
  }
  if (input.d !== undefined && Math.abs(input.d) > 1.5) {
    list.push(
      `d = ${input.d} is a very large effect for training; check it is in standard deviations, not outcome units`,
    );
  }
  return list;
}
