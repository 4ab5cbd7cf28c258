import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';

/** `yardstick lrs-credentials create|list|revoke`: LRS keys and secrets for xAPI clients. */
export function registerLrsCredentialCommands(program: Command): void {
  const group = program
    .command('lrs-credentials')
    .description('LRS credentials (HTTP Basic key/secret for xAPI clients)');
  group
    .command('create')
    .description('create a credential; prints the secret once')
    .requiredOption('--tenant <name>', 'tenant the credential belongs to')
    .option(
      '--scopes <list>',
      'comma-separated scopes: statements/write, statements/read/mine, statements/read, state, define, profile, all/read, all',
      'all',
    )
    .option('--name <name>', 'a name for the client (shown as the authority name)')
    .action(async (options: { tenant: string; scopes: string; name?: string }) => {
      const out = createOutput(program.opts().json);
      const result = await withYardstick(async (y, { config }) => {
        const created = await y.services.lrsCredentials.create({
          tenant: options.tenant,
          scopes: options.scopes.split(','),
          name: options.name,
          homePage: config.server.publicUrl,
        });
        return {
          key: created.key,
          secret: created.secret,
          endpoint: `${config.server.publicUrl.replace(/\/+$/, '')}/xapi/`,
        };
      });
      out.result(result, () =>
        [
          `Created an LRS credential for tenant "${options.tenant}".`,
          `  endpoint: ${result.endpoint}`,
          `  key:      ${result.key}`,
          `  secret:   ${result.secret}`,
          'The secret is shown only now; store it safely.',
        ].join('\n'),
      );
    });
  group
    .command('list')
    .description("list a tenant's credentials (never their secrets)")
    .requiredOption('--tenant <name>', 'tenant')
    .action(async (options: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      const list = await withYardstick((y) => y.services.lrsCredentials.list(options.tenant));
      out.result(list, () =>
        list.length
          ? table(
              ['key', 'name', 'scopes', 'created', 'revoked'],
              list.map((c) => [c.key, c.name, c.scopes.join(','), c.createdAt, c.revokedAt ?? '']),
            )
          : `No LRS credentials for "${options.tenant}"; create one with 'npx yardstick lrs-credentials create --tenant ${options.tenant}'.`,
      );
    });
  group
    .command('revoke <key>')
    .description('revoke a credential (its requests are refused from now on)')
    .action(async (key: string) => {
      const out = createOutput(program.opts().json);
      const revoked = await withYardstick((y) => y.services.lrsCredentials.revoke(key));
      out.result(revoked, () => `Revoked LRS credential ${revoked.key} (${revoked.name}).`);
    });
}
