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
import * as m0060 from './0060-kpi-statement-facts.js';
import * as m0061 from './0061-analyst-views.js';
import * as m0062 from './0062-chart-svg-cache.js';
import * as m0063 from './0063-kpi-learner-week.js';
import * as m0064 from './0064-kpi-attempt-rollup.js';
import * as m0065 from './0065-analyst-outcome-views.js';
import * as m0068 from './0068-kpi-survey-answers.js';
import * as m0069 from './0069-kpi-attempt-days.js';
import * as m0066 from './0066-kpi-learner-module.js';
import * as m0067 from './0067-kpi-post-test-items.js';
import * as m0070 from './0070-kpi-learner-days.js';
import * as m0071 from './0071-kpi-post-attempt-days.js';
import * as m0072 from './0072-kpi-score-pairs.js';
import * as m0073 from './0073-kpi-post-item-sums.js';
import * as m0074 from './0074-kpi-survey-respondents.js';
import * as m0075 from './0075-kpi-learner-module-actor-index.js';
import * as m0085 from './0085-registration-tokens.js';

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
  '0060-kpi-statement-facts': m0060,
  '0061-analyst-views': m0061,
  '0062-chart-svg-cache': m0062,
  '0063-kpi-learner-week': m0063,
  '0064-kpi-attempt-rollup': m0064,
  '0065-analyst-outcome-views': m0065,
  '0066-kpi-learner-module': m0066,
  '0067-kpi-post-test-items': m0067,
  '0068-kpi-survey-answers': m0068,
  '0069-kpi-attempt-days': m0069,
  '0070-kpi-learner-days': m0070,
  '0071-kpi-post-attempt-days': m0071,
  '0072-kpi-score-pairs': m0072,
  '0073-kpi-post-item-sums': m0073,
  '0074-kpi-survey-respondents': m0074,
  '0075-kpi-learner-module-actor-index': m0075,
  '0085-registration-tokens': m0085,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
