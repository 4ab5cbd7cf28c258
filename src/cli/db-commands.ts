import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';
import { migrateToLatest, migrationStatus } from '../storage/migrator.js';
import { redact } from '../storage/database.js';
import { resetDatabase } from '../storage/database-reset.js';
import { PreconditionFailedError } from '../errors.js';

/** Schemas the app creates besides public: the analyst views' (migrations) and pg-boss's. */
const APP_SCHEMAS = ['analytics', 'analytics_private', 'pgboss'];

/** `yardstick migrate`, `yardstick db status` and `yardstick db reset`. */
export function registerDbCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply every pending database migration')
    .action(async () => {
      const out = createOutput(program.opts().json);
      const applied = await withYardstick((y) => migrateToLatest(y.connection.db), { migrate: false });
      out.result({ applied }, () =>
        applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.',
      );
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

  db.command('reset')
    .description(
      'drop everything Yardstick created in the database (every table and its data), then migrate again',
    )
    .option('--yes', 'confirm: the data cannot be recovered')
    .option('--force', 'allow it when NODE_ENV is production')
    .action(async (options: { yes?: boolean; force?: boolean }) => {
      const out = createOutput(program.opts().json);
      if (!options.yes) {
        throw new PreconditionFailedError(
          'db reset drops every Yardstick table and its data; run it again with --yes to confirm.',
        );
      }
      if (process.env.NODE_ENV === 'production' && !options.force) {
        throw new PreconditionFailedError(
          'db reset refuses to run with NODE_ENV=production; add --force if this database really is disposable.',
        );
      }
      const result = await withYardstick(
        async (y, { config }) => {
          const reset = await resetDatabase(y.connection.db, [...APP_SCHEMAS, config.lti.schema]);
          const applied = await migrateToLatest(y.connection.db);
          return { url: redact(y.database.url), ...reset, applied };
        },
        { migrate: false },
      );
      out.result(result, () =>
        [
          `Reset ${result.url}: dropped schemas ${result.droppedSchemas.join(', ')} (${result.droppedTables} tables), created schema public.`,
          `Applied ${result.applied.length} migrations; the schema is up to date.`,
        ].join('\n'),
      );
    });
}
