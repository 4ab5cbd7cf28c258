import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-tenants.js';
import * as m0002 from './0002-xapi-statements.js';
import * as m0010 from './0010-lti-platforms.js';
import * as m0011 from './0011-lti-launch-state.js';
import * as m0012 from './0012-lti-people.js';
import * as m0013 from './0013-lti-grade-passback.js';
import * as m0014 from './0014-lti-retired-keys.js';

/**
 * Every migration, in order. Listed explicitly (not read from disk) so the same list runs from the
 * TypeScript sources and from a build. Names never change once released.
 */
const migrations: Record<string, Migration> = {
  '0001-tenants': m0001,
  '0002-xapi-statements': m0002,
  '0010-lti-platforms': m0010,
  '0011-lti-launch-state': m0011,
  '0012-lti-people': m0012,
  '0013-lti-grade-passback': m0013,
  '0014-lti-retired-keys': m0014,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
