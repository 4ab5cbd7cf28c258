import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';

/** `yardstick tenant create NAME`, `tenant list` and `tenant delete NAME --yes`. */
export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('customer organizations');
  tenant
    .command('create <name>')
    .description('create a tenant (one customer organization)')
    .action(async (name: string) => {
      const out = createOutput(program.opts().json);
      const created = await withYardstick((y) => y.services.tenants.create(name));
      out.result(created, () => `Created tenant "${created.name}" (${created.id}).`);
    });
  tenant
    .command('list')
    .description('list tenants')
    .action(async () => {
      const out = createOutput(program.opts().json);
      const tenants = await withYardstick((y) => y.services.tenants.list());
      out.result(tenants, () =>
        tenants.length
          ? table(
              ['name', 'id', 'created'],
              tenants.map((t) => [t.name, t.id, t.createdAt.toISOString()]),
            )
          : "No tenants yet; create one with 'npx yardstick tenant create NAME'.",
      );
    });
  tenant
    .command('delete <name>')
    .description('delete a tenant and every row of it, after a grace period (docs/privacy.md)')
    .requiredOption('--by <who>', 'who asked for the deletion')
    .option('--grace-days <n>', 'days before the retention sweep purges it (0: the next sweep)', '30')
    .option('--cancel', 'cancel a pending deletion')
    .option('--yes', 'really delete (nothing is scheduled without it)')
    .action(
      async (name: string, options: { by: string; graceDays: string; cancel?: boolean; yes?: boolean }) => {
        const out = createOutput(program.opts().json);
        if (options.cancel) {
          await withYardstick(async (y) =>
            y.services.retention.cancelTenantDeletion((await y.services.tenants.getByName(name)).id),
          );
          out.result({ cancelled: true }, () => `The deletion of tenant "${name}" is cancelled.`);
          return;
        }
        if (!options.yes)
          throw new ValidationError(
            `Deleting tenant "${name}" erases all its data and cannot be undone; add --yes to confirm.`,
          );
        const grace = Number(options.graceDays);
        const deletion = await withYardstick(async (y) =>
          y.services.retention.requestTenantDeletion(
            (await y.services.tenants.getByName(name)).id,
            options.by,
            grace,
          ),
        );
        out.result(
          deletion,
          () =>
            `Tenant "${name}" will be deleted by the first retention sweep after ${deletion.purgeAfter.toISOString()}; ` +
            `cancel before then with 'npx yardstick tenant delete "${name}" --cancel --by WHO'.`,
        );
      },
    );
}
