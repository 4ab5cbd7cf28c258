import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-tenants.js';
import * as m0002 from './0002-xapi-statements.js';
import * as m0003 from './0003-lrs-credentials.js';
import * as m0004 from './0004-xapi-statement-snapshots.js';
import * as m0005 from './0005-xapi-documents.js';
import * as m0020 from './0020-people.js';
import * as m0030 from './0030-outcome-imports.js';
import * as m0031 from './0031-outcome-facts.js';
import * as m0040 from './0040-programs-cohorts.js';
import * as m0041 from './0041-program-economics.js';

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
  '0020-people': m0020,
  '0030-outcome-imports': m0030,
  '0031-outcome-facts': m0031,
  '0040-programs-cohorts': m0040,
  '0041-program-economics': m0041,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
