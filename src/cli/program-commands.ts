import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';
import { ValidationError } from '../errors.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Parses "Treatment:2,Control:1" into arms. */
function parseArms(text: string) {
  return text.split(',').map((part) => {
    const [name, ratio] = part.split(':');
    return { name: name!.trim(), ratio: ratio === undefined ? 1 : Number(ratio) };
  });
}

/** Parses repeated "key=value" criteria; numbers and true/false are typed. */
function parseCriteria(pairs: string[]) {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new ValidationError(`--where ${pair}: use attribute=value, e.g. --where site=Leeds`);
      const raw = pair.slice(at + 1);
      const value =
        raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : raw !== '' && !Number.isNaN(Number(raw))
              ? Number(raw)
              : raw;
      return [pair.slice(0, at), value];
    }),
  );
}

/** `yardstick program ...`: pilot programs, randomization, balance and power. */
export function registerProgramCommands(program: Command): void {
  const cmd = program.command('program').description('pilot programs and their cohorts');
  const json = () => program.opts().json as boolean;

  cmd
    .command('create <name>')
    .description('set up a pilot program')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--outcome <name>', 'a target outcome (repeatable)', collect, [])
    .option('--pre <start..end>', 'pre window, e.g. 2026-01-01..2026-03-31')
    .option('--post <start..end>', 'post window')
    .option('--perspective <who>', 'employer or employee', 'employer')
    .option('--horizon <years>', 'benefit horizon in years', '1')
    .action(async (name: string, o) => {
      const window = (text?: string) => {
        if (!text) return undefined;
        const [start, end] = text.split('..');
        return { start: start || null, end: end || null };
      };
      const created = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(o.tenant);
        return y.services.programs.create(tenant.id, {
          name,
          targetOutcomes: o.outcome,
          preWindow: window(o.pre),
          postWindow: window(o.post),
          moneyPerspective: o.perspective,
          benefitHorizonYears: Number(o.horizon),
        });
      });
      createOutput(json()).result(created, () => `Created program "${created.name}" (${created.id}).`);
    });

  cmd
    .command('list')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (o) => {
      const programs = await withYardstick(async (y) =>
        y.services.programs.list((await y.services.tenants.getByName(o.tenant)).id),
      );
      createOutput(json()).result(programs, () =>
        programs.length
          ? table(
              ['name', 'id', 'outcomes'],
              programs.map((p) => [p.name, p.id, p.targetOutcomes.join(', ')]),
            )
          : 'No programs yet.',
      );
    });

  cmd
    .command('randomize <program>')
    .description('assign the pool to arms, once, with a recorded seed')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--arms <list>', 'arms and ratios, e.g. Treatment:1,Control:1', 'Treatment:1,Control:1')
    .option('--algorithm <name>', 'permuted-blocks or simple', 'permuted-blocks')
    .option('--block-sizes <list>', 'block sizes drawn at random, e.g. 2,4', '4')
    .option('--strata <list>', 'attributes to stratify on, e.g. department,site', '')
    .option('--seed <n>', 'seed (default: drawn and recorded)')
    .option('--where <attribute=value>', 'only people with this attribute (repeatable)', collect, [])
    .option('--employees <file>', 'only these employee ids (one per line)')
    .action(async (programName: string, o) => {
      const outcome = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(o.tenant);
        const target = await y.services.programs.get(tenant.id, programName);
        const employeeIds = o.employees
          ? readFileSync(o.employees, 'utf8')
              .split(/\r?\n/)
              .map((l) => l.split(',')[0]!.trim())
              .filter((l) => l && l !== 'employee_id')
          : undefined;
        return y.services.cohorts.randomize(tenant.id, target.id, {
          algorithm: o.algorithm,
          arms: parseArms(o.arms),
          blockSizes: String(o.blockSizes).split(',').map(Number),
          strata: o.strata ? String(o.strata).split(',') : [],
          seed: o.seed === undefined ? undefined : Number(o.seed),
          pool: { criteria: parseCriteria(o.where), employeeIds },
        });
      });
      createOutput(json()).result(outcome, () =>
        [
          `Randomized ${outcome.participantCount} people (${outcome.record.algorithm}, seed ${outcome.seed}).`,
          table(
            ['cohort', 'arm', 'members'],
            outcome.cohorts.map((c) => [c.name, c.arm, String(c.members)]),
          ),
        ].join('\n'),
      );
    });

  cmd
    .command('balance <program>')
    .description('standardized mean differences between treatment and control')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (programName: string, o) => {
      const balance = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(o.tenant);
        return y.services.designAnalysis.balance(
          tenant.id,
          (await y.services.programs.get(tenant.id, programName)).id,
        );
      });
      const f = (v: number | null) => (v === null ? '-' : v.toFixed(3));
      createOutput(json()).result(balance, () =>
        [
          `Treatment n=${balance.treatment.n}, control n=${balance.control.n}; SMD with pooled SD; |SMD| > 0.1 flagged.`,
          table(
            ['covariate', 'mean T', 'mean C', 'SMD', 'var ratio', ''],
            balance.rows.map((r) => [
              r.name,
              f(r.meanTreated),
              f(r.meanControl),
              f(r.standardizedMeanDifference),
              f(r.varianceRatio),
              r.imbalanced ? 'imbalanced' : '',
            ]),
          ),
        ].join('\n'),
      );
    });

  cmd
    .command('power <program>')
    .description('minimum detectable effect for the program’s arm sizes')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--power <p>', 'target power', '0.8')
    .option('--alpha <a>', 'two-sided significance level', '0.05')
    .option('--sd <sd>', 'outcome standard deviation, to express the MDE in outcome units')
    .option('--cluster-size <m>', 'people per cluster for a clustered analysis')
    .option('--icc <rho>', 'intra-cluster correlation')
    .action(async (programName: string, o) => {
      const num = (v?: string) => (v === undefined ? undefined : Number(v));
      const result = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(o.tenant);
        return y.services.designAnalysis.plannedPower(
          tenant.id,
          (await y.services.programs.get(tenant.id, programName)).id,
          {
            power: num(o.power),
            sigLevel: num(o.alpha),
            outcomeSd: num(o.sd),
            clusterSize: num(o.clusterSize),
            icc: num(o.icc),
          },
        );
      });
      createOutput(json()).result(result, () =>
        [
          `Arms: ${result.nTreatment} treatment, ${result.nControl} control (effective ${result.effectiveNPerGroup.toFixed(1)} per arm).`,
          `Minimum detectable effect at power ${result.power}, alpha ${result.sigLevel}: d = ${result.mdeD.toFixed(3)}${result.mdeOutcomeUnits === null ? '' : ` (${result.mdeOutcomeUnits.toFixed(3)} outcome units)`}.`,
          result.clustered
            ? `Clustered (design effect ${result.clustered.designEffect.toFixed(2)}): d = ${result.clustered.mdeD.toFixed(3)}.`
            : '',
          `Method: ${result.method}.`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
