import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';
import { ValidationError } from '../errors.js';
import type { Yardstick } from '../bootstrap.js';

async function programOf(y: Yardstick, tenantName: string, programName: string) {
  const tenant = await y.services.tenants.getByName(tenantName);
  return { tenantId: tenant.id, program: await y.services.programs.get(tenant.id, programName) };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ValidationError(`Cannot read ${file} as JSON: ${(err as Error).message}`);
  }
}

/** `yardstick program costs|assumption|estimate|roi|event ...`: the money side of a program. */
export function registerProgramEconomicsCommands(program: Command): void {
  const cmd = program.commands.find((c) => c.name() === 'program')!;
  const json = () => program.opts().json as boolean;

  cmd
    .command('costs <program>')
    .description('set the fully loaded cost model from a JSON file (see docs/programs.md)')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--file <costs.json>', 'the cost model')
    .action(async (name: string, o) => {
      await withYardstick(async (y) => {
        const { tenantId, program: p } = await programOf(y, o.tenant, name);
        await y.services.economics.setCostModel(tenantId, p.id, readJson(o.file) as never);
      });
      createOutput(json()).result({ ok: true }, () => 'Cost model saved.');
    });

  cmd
    .command('assumption <program>')
    .description('set the money value of one unit of an outcome, with its source and confidence')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--outcome <name>', 'e.g. absence_days')
    .requiredOption('--label <text>', 'e.g. "Absence days avoided"')
    .requiredOption('--unit <unit>', 'e.g. day')
    .requiredOption('--value <amount>', 'money per unit')
    .requiredOption('--source <text>', 'where the value comes from')
    .requiredOption('--confidence <percent>', 'how sure, 1-100')
    .option('--perspective <who>', 'employer or employee', 'employer')
    .action(async (name: string, o) => {
      await withYardstick(async (y) => {
        const { tenantId, program: p } = await programOf(y, o.tenant, name);
        await y.services.economics.setAssumption(tenantId, p.id, {
          outcome: o.outcome,
          label: o.label,
          unit: o.unit,
          valuePerUnit: o.value,
          source: o.source,
          confidencePercent: Number(o.confidence),
          perspective: o.perspective,
        });
      });
      createOutput(json()).result({ ok: true }, () => 'Assumption saved.');
    });

  cmd
    .command('event <program>')
    .description('record a confounding event (a plan rule change, a market shift)')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--date <YYYY-MM-DD>', 'when it started')
    .requiredOption('--title <text>', 'what happened')
    .option('--until <YYYY-MM-DD>', 'when it ended')
    .option('--tenant-wide', 'it touches every program of the tenant')
    .action(async (name: string, o) => {
      const id = await withYardstick(async (y) => {
        const { tenantId, program: p } = await programOf(y, o.tenant, name);
        return y.services.economics.addEvent(tenantId, p.id, {
          startsOn: o.date,
          endsOn: o.until,
          title: o.title,
          tenantWide: Boolean(o.tenantWide),
        });
      });
      createOutput(json()).result({ id }, () => `Event recorded (${id}).`);
    });

  cmd
    .command('effect <program>')
    .description('enter an effect estimated elsewhere (per participant per year), with its method')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--outcome <name>', 'e.g. absence_days')
    .requiredOption('--units <n>', 'improvement per participant')
    .requiredOption('--participants <n>', 'participants it applies to')
    .option('--lower <n>', 'lower end of its interval')
    .option('--upper <n>', 'upper end of its interval')
    .option('--method <name>', 'randomized, did, psm, trend or manual', 'manual')
    .option('--note <text>', 'where it comes from', '')
    .action(async (name: string, o) => {
      await withYardstick(async (y) => {
        const { tenantId, program: p } = await programOf(y, o.tenant, name);
        await y.services.economics.recordEffect(tenantId, p.id, {
          outcome: o.outcome,
          unitsPerParticipant: o.units,
          lower: o.lower,
          upper: o.upper,
          participants: Number(o.participants),
          method: o.method,
          note: o.note,
        });
      });
      createOutput(json()).result({ ok: true }, () => 'Effect saved.');
    });

  cmd
    .command('estimate <program>')
    .description('estimate the effect on an outcome from imported data')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--outcome <name>', 'e.g. absence_days, deferral_pct, claims_count')
    .requiredOption('--method <name>', 'randomized, did, psm, or trend (no comparison group)')
    .option('--caliper <sd>', 'psm: caliper in SDs of the propensity score')
    .option('--cluster-by <attribute>', 'did: cluster standard errors by this person attribute')
    .option('--record', 'store the estimate as the program effect used by the ROI report')
    .action(async (name: string, o) => {
      const result = await withYardstick(async (y) => {
        const { tenantId, program: p } = await programOf(y, o.tenant, name);
        return y.services.attribution.estimate(tenantId, p, {
          outcome: o.outcome,
          method: o.method,
          caliper: o.caliper === undefined ? undefined : Number(o.caliper),
          clusterAttribute: o.clusterBy,
          record: Boolean(o.record),
        });
      });
      const f = (v: number) => v.toFixed(3);
      createOutput(json()).result(result, () =>
        [
          `${result.outcome.label}: improvement ${f(result.improvement)} ${result.outcome.unit} per participant`,
          `${Math.round(result.level * 100)}% interval [${f(result.lower)}, ${f(result.upper)}], p = ${result.p.toPrecision(3)}; ${result.participants} participants vs ${result.comparison}.`,
          `Method: ${result.methodName}.`,
          ...result.assumptions.map((a) => `Assumes: ${a}`),
          ...result.warnings.map((w) => `Warning: ${w}`),
          result.recorded ? 'Recorded as the program effect for ROI.' : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  cmd
    .command('roi <program>')
    .description('Phillips ROI from the recorded effects, assumptions and costs')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--snapshot', 'keep this report as a dated snapshot')
    .action(async (name: string, o) => {
      const report = await withYardstick(async (y) => {
        const { tenantId, program: p } = await programOf(y, o.tenant, name);
        if (o.snapshot) await y.services.roiReports.snapshot(tenantId, p);
        return y.services.roiReports.build(tenantId, p);
      });
      createOutput(json()).result(report, () =>
        [
          `${report.program.name}: ROI ${report.adjusted.roiPercent}% (confidence-adjusted), ${report.unadjusted.roiPercent}% as measured.`,
          `Benefit ${report.currency} ${report.adjusted.benefit}, cost ${report.currency} ${report.adjusted.cost}, net ${report.adjusted.netBenefit}, BCR ${report.adjusted.benefitCostRatio}, payback ${report.adjusted.paybackMonths ?? 'never'} months.`,
          report.interval
            ? `Range: ${report.interval.lower.roiPercent}% to ${report.interval.upper.roiPercent}% (${report.interval.note}).`
            : '',
          table(
            ['benefit', 'method', 'annual value'],
            report.benefits.map((b) => [b.label, b.method, b.annualValueAdjusted]),
          ),
          ...report.warnings.map((w) => `Warning: ${w}`),
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
