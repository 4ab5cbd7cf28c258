import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import { RETENTION_KIND_TEXT, RETENTION_KINDS, type RetentionPolicy } from '../privacy/model.js';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';

/** `yardstick retention show|set|sweep`: how long a tenant keeps each kind of data (issue #18). */
export function registerRetentionCommands(program: Command): void {
  const group = program
    .command('retention')
    .description('how long each kind of data is kept, per tenant (GDPR art. 5(1)(e); docs/privacy.md)');

  group
    .command('show')
    .description("a tenant's retention periods and any pending deletion")
    .requiredOption('--tenant <name>', 'tenant')
    .action(async (options: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      const shown = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(options.tenant);
        return y.services.retention.show(tenant.id);
      });
      out.result(shown, () =>
        [
          policiesTable(shown.policies),
          shown.deletion
            ? `The tenant is to be deleted after ${shown.deletion.purgeAfter.toISOString()} (asked by ${shown.deletion.requestedBy}).`
            : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  group
    .command('set')
    .description(`set the period of one kind of data: ${RETENTION_KINDS.join(', ')}`)
    .requiredOption('--tenant <name>', 'tenant')
    .requiredOption('--kind <kind>', RETENTION_KINDS.join(' | '))
    .requiredOption('--days <n|none>', 'days to keep rows; "none" keeps them until erased')
    .requiredOption('--by <who>', 'who sets the policy')
    .action(async (options: { tenant: string; kind: string; days: string; by: string }) => {
      const out = createOutput(program.opts().json);
      const days = options.days === 'none' ? null : Number(options.days);
      if (days !== null && !Number.isInteger(days))
        throw new ValidationError(`--days takes a whole number of days or "none", not "${options.days}".`);
      const policies = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(options.tenant);
        return y.services.retention.set(tenant.id, options.kind, days, options.by);
      });
      out.result({ policies }, () => policiesTable(policies));
    });

  group
    .command('sweep')
    .description('apply every policy now and purge tenants past their grace period (what the job does)')
    .action(async () => {
      const out = createOutput(program.opts().json);
      const result = await withYardstick((y) => y.services.retention.sweep());
      out.result(
        result,
        () =>
          [
            ...result.swept.map(
              (s) =>
                `${s.kind} of tenant ${s.tenantId} before ${s.cutoff.toISOString()}: ${s.erased} rows erased`,
            ),
            ...result.purgedTenants.map((t) => `tenant ${t.tenantId} deleted`),
          ].join('\n') || 'Nothing to erase.',
      );
    });
}

function policiesTable(policies: RetentionPolicy[]): string {
  return table(
    ['kind', 'kept for', 'what it covers', 'set by', 'last swept'],
    RETENTION_KINDS.map((kind) => {
      const p = policies.find((x) => x.kind === kind);
      return [
        kind,
        p ? `${p.days} days` : 'until erased',
        RETENTION_KIND_TEXT[kind],
        p?.setBy ?? '',
        p?.lastSweptAt ? p.lastSweptAt.toISOString() : '',
      ];
    }),
  );
}
