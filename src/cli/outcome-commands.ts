import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import type { Command } from 'commander';
import { AppError, ValidationError } from '../errors.js';
import { parseMappingPairs } from '../outcomes/column-mapping.js';
import { outcomeKindNames } from '../outcomes/kinds/index.js';
import type { QualityReport } from '../outcomes/quality-report.js';
import type { OutcomeImport } from '../outcomes/model.js';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const actor = () => `cli:${os.userInfo().username}`;

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    throw new ValidationError(`Cannot read ${file}: check the path.`);
  }
}

/** `yardstick outcomes import|accept|list` and `yardstick people import`. */
export function registerOutcomeCommands(program: Command): void {
  const outcomes = program
    .command('outcomes')
    .description('lagging-outcome imports (payroll, plan, claims, HRIS)');
  outcomes
    .command('import <file>')
    .description('stage a CSV, print its data-quality report, and with --accept apply it if clean')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--kind <kind>', `outcome kind: ${outcomeKindNames.join(', ')}`)
    .option(
      '--map <header=field>',
      'map a CSV header to a field (repeatable; field "-" ignores the column)',
      collect,
      [],
    )
    .option('--null-rate <field=share>', 'null-rate threshold 0..1 for a field (repeatable)', collect, [])
    .option('--create-people', 'create people for employee ids that match none (off by default)')
    .option('--accept', 'apply the import when its report has no blocking problems')
    .action(
      async (
        file: string,
        opts: {
          tenant: string;
          kind: string;
          map: string[];
          nullRate: string[];
          createPeople?: boolean;
          accept?: boolean;
        },
      ) => {
        const out = createOutput(program.opts().json);
        const size = await fileSize(file);
        const thresholds = Object.fromEntries(
          Object.entries(parseMappingPairs(opts.nullRate)).map(([f, v]) => [f, Number(v)]),
        );
        const result = await withYardstick(async (y) => {
          const tenant = await y.services.tenants.getByName(opts.tenant);
          const created = await y.services.outcomeImports.create({
            tenantId: tenant.id,
            kind: opts.kind,
            source: 'csv',
            fileName: file,
            mapping: parseMappingPairs(opts.map),
            options: {
              ...(opts.createPeople ? { createMissingPeople: true } : {}),
              ...(opts.nullRate.length ? { nullRateThresholds: thresholds } : {}),
            },
            bytesTotal: size,
            actor: actor(),
          });
          const staged = await y.services.outcomeImports.stageCsv(
            tenant.id,
            created.id,
            createReadStream(file),
            size,
          );
          const report = staged.report as QualityReport;
          if (!opts.accept) return staged;
          if (!report.acceptable)
            throw new AppError(
              'precondition_failed',
              `Not accepted; import ${staged.id} stays staged. Fix the file and import it again: ${report.blocking.map((b) => b.message).join('; ')}.`,
              report.blocking.map((b) => ({ path: b.check, message: b.message })),
            );
          return y.services.outcomeImports.accept(tenant.id, staged.id, actor());
        });
        out.result(result, () => describeImport(result));
      },
    );
  outcomes
    .command('accept <id>')
    .description('apply a staged import whose report is clean (one transaction)')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (id: string, opts: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      const result = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(opts.tenant);
        return y.services.outcomeImports.accept(tenant.id, id, actor());
      });
      out.result(result, () => describeImport(result));
    });
  outcomes
    .command('list')
    .description("list a tenant's outcome imports, newest first")
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (opts: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      const imports = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(opts.tenant);
        return y.services.outcomeImports.list(tenant.id);
      });
      out.result(imports, () =>
        table(
          ['id', 'kind', 'status', 'rows', 'invalid', 'file', 'created'],
          imports.map((i) => [
            i.id,
            i.kind,
            i.status,
            String(i.rowsParsed),
            String(i.rowsInvalid),
            i.fileName ?? '',
            i.createdAt.toISOString(),
          ]),
        ),
      );
    });

  const people = program.command('people').description('people: the employee id <-> LMS user mapping');
  people
    .command('import <file>')
    .description('import employee_id with lms_user_id and/or email (and display_name); all rows or none')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (file: string, opts: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      await fileSize(file);
      const result = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(opts.tenant);
        return y.services.peopleImports.importCsv(tenant.id, createReadStream(file));
      });
      if (!result.applied)
        throw new ValidationError(
          `Nothing was imported: ${result.problems.join('; ')}. Fix these rows and run the import again.`,
          result.problems.map((p) => ({ path: 'rows', message: p })),
        );
      out.result(
        result,
        () =>
          `${result.rows} rows: ${result.created} people created, ${result.linked} linked, ${result.updated} updated, ${result.unchanged} unchanged.`,
      );
    });
}

function describeImport(imp: OutcomeImport): string {
  const report = imp.report as QualityReport | null;
  const lines = [
    `Import ${imp.id} (${imp.kind}): ${imp.status}, ${imp.rowsParsed} rows, ${imp.rowsInvalid} invalid.`,
  ];
  if (report) {
    for (const b of report.blocking) lines.push(`  blocking: ${b.message}`);
    for (const w of report.warnings) lines.push(`  warning:  ${w.message}`);
    if (imp.status === 'staged')
      lines.push(
        report.acceptable
          ? `Clean. Apply it with: npx yardstick outcomes accept --tenant NAME ${imp.id}`
          : 'Not acceptable as is: fix the file and import it again.',
      );
  }
  if (imp.applied)
    lines.push(
      `Applied: ${imp.applied.inserted} inserted, ${imp.applied.updated} updated, ${imp.applied.unchanged} unchanged, ${imp.applied.peopleCreated} people created.`,
    );
  return lines.join('\n');
}
