import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { createModuleRepository } from '../../storage/repositories/module-repository.js';
import { createLearningRepository } from '../../storage/repositories/learning-repository.js';
import type { StatementService } from '../../xapi/statements/statement-service.js';
import type { LtiServices } from '../../lti/lti-services.js';
import {
  createLearnerFlowService,
  DEFAULT_LEARNING_SETTINGS,
  type LearnerFlowService,
  type LearningSettings,
} from './learner-flow-service.js';
import type { VersionChooser } from './choose-version.js';
import { createCmi5LaunchRepository } from '../../storage/repositories/cmi5-launch-repository.js';
import type { DocumentService } from '../../xapi/documents/document-service.js';
import { createCmi5LaunchService, type Cmi5LaunchService } from './cmi5-launch-service.js';
import { createAuSessionService, type AuSessionService } from '../cmi5/au-session-service.js';
import { createAuProgress } from '../cmi5/au-progress.js';
import { createAuWaiverService, type AuWaiverService } from '../cmi5/au-waiver-service.js';
import { createObservationService, type ObservationService } from './observation-service.js';

export interface LearningServices {
  flow: LearnerFlowService;
  observations: ObservationService;
  cmi5: Cmi5LaunchService;
  /** AU launches and AU statements of modules made from cmi5 packages (issue #19). */
  auSessions: AuSessionService;
  /** Waivers of a learner's AUs by an instructor or admin (cmi5 9.3.7). */
  waivers: AuWaiverService;
  settings: LearningSettings;
}

/** The learner side of modules: attempts, time on task, observations (authoring lives elsewhere). */
export function createLearningServices(deps: {
  db: Kysely<Database>;
  statements: StatementService;
  documents: DocumentService;
  lti: LtiServices;
  settings?: LearningSettings;
  /** Which version a new attempt gets (content experiments); the newest published one when absent. */
  chooseVersion?: VersionChooser;
}): LearningServices {
  const modules = createModuleRepository(deps.db);
  const learning = createLearningRepository(deps.db);
  const settings = deps.settings ?? DEFAULT_LEARNING_SETTINGS;
  const cmi5Launches = createCmi5LaunchRepository(deps.db);
  const flow = createLearnerFlowService({
    cmi5Launches,
    auProgress: createAuProgress(cmi5Launches),
    db: deps.db,
    modules,
    learning,
    statements: deps.statements,
    grades: deps.lti.grades,
    settings,
    chooseVersion: deps.chooseVersion,
  });
  return {
    settings,
    cmi5: createCmi5LaunchService({
      flow,
      launches: cmi5Launches,
      documents: deps.documents,
    }),
    auSessions: createAuSessionService({
      db: deps.db,
      flow,
      launches: cmi5Launches,
      learning,
      modules,
      documents: deps.documents,
      statements: deps.statements,
      idleTimeoutSeconds: settings.auSessionTimeoutSeconds,
    }),
    waivers: createAuWaiverService({
      db: deps.db,
      launches: cmi5Launches,
      learning,
      modules,
      statements: deps.statements,
    }),
    flow,
    observations: createObservationService({
      db: deps.db,
      modules,
      learning,
      statements: deps.statements,
      roster: (tenantId, contextId) => deps.lti.courses.roster(tenantId, contextId),
    }),
  };
}
