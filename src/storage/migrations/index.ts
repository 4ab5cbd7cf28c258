import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-tenants.js';
import * as m0002 from './0002-xapi-statements.js';
import * as m0003 from './0003-lrs-credentials.js';
import * as m0004 from './0004-xapi-statement-snapshots.js';
import * as m0005 from './0005-xapi-documents.js';
import * as m0006 from './0006-xapi-statement-autoanalyze.js';
import * as m0020 from './0020-people.js';
import * as m0030 from './0030-outcome-imports.js';
import * as m0031 from './0031-outcome-facts.js';
import * as m0040 from './0040-programs-cohorts.js';
import * as m0041 from './0041-program-economics.js';
import * as m0010 from './0010-lti-platforms.js';
import * as m0011 from './0011-lti-launch-state.js';
import * as m0012 from './0012-lti-people.js';
import * as m0013 from './0013-lti-grade-passback.js';
import * as m0014 from './0014-lti-retired-keys.js';
import * as m0050 from './0050-learning-modules.js';
import * as m0051 from './0051-module-experiments.js';
import * as m0055 from './0055-learning-attempts.js';
import * as m0056 from './0056-cmi5-launches.js';
import * as m0042 from './0042-program-effect-people.js';
import * as m0043 from './0043-program-forecasts.js';
import * as m0044 from './0044-snapshot-cadence.js';
import * as m0045 from './0045-effect-options.js';
import * as m0060 from './0060-kpi-rollups.js';
import * as m0081 from './0081-analyst-hardening.js';
import * as m0085 from './0085-registration-tokens.js';
import * as m0087 from './0087-privacy-requests.js';
import * as m0086 from './0086-export-links.js';
import * as m0088 from './0088-content-packages.js';
import * as m0090 from './0090-kpi-capture-per-statement.js';
import * as m0091 from './0091-kpi-fact-outbox.js';
import * as m0092 from './0092-kpi-outbox-parts.js';
import * as m0095 from './0095-program-kpi-rules.js';
import * as m0096 from './0096-kpi-attempt-outcome.js';
import * as m0100 from './0100-retention.js';
import * as m0101 from './0101-statement-association-indexes.js';
import * as m0105 from './0105-cmi5-au-sessions.js';
import * as m0110 from './0110-lti-login-storage-target.js';
import * as m0115 from './0115-platform-route-reference.js';
import * as m0120 from './0120-sample-enrollments.js';
import * as m0135 from './0135-statement-association-cascade.js';
import * as m0140 from './0140-observed-learner-index.js';
import * as m0145 from './0145-cmi5-idle-au-sessions.js';
import * as m0146 from './0146-lti-session-end.js';
import * as m0155 from './0155-kpi-session-duration-cap.js';
import * as m0156 from './0156-enrollment-dates.js';

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
  '0006-xapi-statement-autoanalyze': m0006,
  '0020-people': m0020,
  '0030-outcome-imports': m0030,
  '0031-outcome-facts': m0031,
  '0040-programs-cohorts': m0040,
  '0041-program-economics': m0041,
  '0010-lti-platforms': m0010,
  '0011-lti-launch-state': m0011,
  '0012-lti-people': m0012,
  '0013-lti-grade-passback': m0013,
  '0014-lti-retired-keys': m0014,
  '0050-learning-modules': m0050,
  '0051-module-experiments': m0051,
  '0055-learning-attempts': m0055,
  '0056-cmi5-launches': m0056,
  '0042-program-effect-people': m0042,
  '0043-program-forecasts': m0043,
  '0044-snapshot-cadence': m0044,
  '0045-effect-options': m0045,
  '0060-kpi-rollups': m0060,
  '0081-analyst-hardening': m0081,
  '0085-registration-tokens': m0085,
  '0087-privacy-requests': m0087,
  '0086-export-links': m0086,
  '0088-content-packages': m0088,
  '0090-kpi-capture-per-statement': m0090,
  '0091-kpi-fact-outbox': m0091,
  '0092-kpi-outbox-parts': m0092,
  '0095-program-kpi-rules': m0095,
  '0096-kpi-attempt-outcome': m0096,
  '0100-retention': m0100,
  '0101-statement-association-indexes': m0101,
  '0105-cmi5-au-sessions': m0105,
  '0110-lti-login-storage-target': m0110,
  '0115-platform-route-reference': m0115,
  '0120-sample-enrollments': m0120,
  '0135-statement-association-cascade': m0135,
  '0140-observed-learner-index': m0140,
  '0145-cmi5-idle-au-sessions': m0145,
  '0146-lti-session-end': m0146,
  '0155-kpi-session-duration-cap': m0155,
  '0156-enrollment-dates': m0156,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
