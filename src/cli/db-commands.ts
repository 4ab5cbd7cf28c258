import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';
import { migrateToLatest, migrationStatus } from '../storage/migrator.js';
import { redact } from '../storage/database.js';

/** `yardstick migrate` and `yardstick db status`. */
export function registerDbCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply every pending database migration')
    .action(async () => {
      const out = createOutput(program.opts().json);
      const applied = await withYardstick((y) => migrateToLatest(y.connection.db), { migrate: false });
      out.result({ applied }, () => (applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.'));
    });

  const db = program.command('db').description('database operations');
  db.command('status')
    .description('where the database is, its version, and the migration state')
    .action(async () => {
      const out = createOutput(program.opts().json);
      const status = await withYardstick(
        async (y) => ({
          source: y.database.source,
          url: redact(y.database.url),
          dataDir: y.database.dataDir ?? null,
          serverVersion: y.database.serverVersion,
          migrations: await migrationStatus(y.connection.db),
        }),
        { migrate: false },
      );
      out.result(status, () => {
        const pending = status.migrations.filter((m) => !m.executedAt).length;
        return [
          `PostgreSQL ${status.serverVersion} (${status.source}${status.dataDir ? `, data in ${status.dataDir}` : ''})`,
          `URL: ${status.url}`,
          `Migrations: ${status.migrations.length - pending} applied, ${pending} pending`,
          table(
            ['migration', 'applied at'],
            status.migrations.map((m) => [m.name, m.executedAt ? m.executedAt.toISOString() : 'pending']),
          ),
        ].join('\n');
      });
    });
}
