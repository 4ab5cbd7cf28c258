import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-tenants.js';
import * as m0002 from './0002-xapi-statements.js';
import * as m0003 from './0003-lrs-credentials.js';
import * as m0004 from './0004-xapi-statement-snapshots.js';
import * as m0005 from './0005-xapi-documents.js';

/**
 * Every migration, in order. Listed explicitly (not read from disk) so the same list runs from the
 * TypeScript sources and from a build. Names never change once released.
 */
const migrations: Record<string, Migration> = {
  '0001-tenants': m0001,
  '0002-xapi-statements': m0002,
  '0003-lrs-credentials': m0003,
  '0004-xapi-statement-snapshots': m0004,
  '0005-xapi-documents': m0005,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
