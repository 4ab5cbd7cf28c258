import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';

/** `yardstick tenant create NAME` and `yardstick tenant list`. */
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
          ? table(['name', 'id', 'created'], tenants.map((t) => [t.name, t.id, t.createdAt.toISOString()]))
          : "No tenants yet; create one with 'npx yardstick tenant create NAME'.",
      );
    });
}
