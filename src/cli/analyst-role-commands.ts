import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';

/** `yardstick analyst-roles create|list|revoke`: read-only database logins confined to one tenant. */
export function registerAnalystRoleCommands(program: Command): void {
  const group = program
    .command('analyst-roles')
    .description('read-only database logins for analysts, confined to one tenant (docs/kpi-reports.md)');
  group
    .command('create')
    .description('create a login that sees the analytics views of one tenant; prints the password once')
    .requiredOption('--tenant <name>', 'tenant the login may read')
    .action(async (options: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      const role = await withYardstick((y) => y.services.analystAccess.create(options.tenant));
      out.result(role, () =>
        [
          `Created a read-only analyst login for tenant "${options.tenant}".`,
          `  user:     ${role.roleName}`,
          `  password: ${role.password}`,
          'Connect with the database URL of your server and this user; the views are in schema analytics.',
          'The password is shown only now; store it safely.',
        ].join('\n'),
      );
    });
  group
    .command('list')
    .description("list a tenant's analyst logins")
    .requiredOption('--tenant <name>', 'tenant')
    .action(async (options: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      const roles = await withYardstick((y) => y.services.analystAccess.list(options.tenant));
      out.result(roles, () =>
        roles.length
          ? table(
              ['user', 'created'],
              roles.map((r) => [r.roleName, r.createdAt.toISOString()]),
            )
          : `No analyst logins for "${options.tenant}".`,
      );
    });
  group
    .command('revoke')
    .description('drop an analyst login')
    .requiredOption('--tenant <name>', 'tenant')
    .argument('<user>', 'the login to drop')
    .action(async (user: string, options: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      await withYardstick((y) => y.services.analystAccess.revoke(options.tenant, user));
      out.result({ revoked: user }, () => `Dropped analyst login ${user}.`);
    });
}
