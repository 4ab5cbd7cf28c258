import type { Attempt, LearningModule } from '../model.js';
import type { Agent, CaptureContext } from './capture-statements.js';

/** What every statement of an attempt's session carries: module, version, course, registration, session. */
export function captureContext(
  module: LearningModule,
  attempt: Attempt,
  sessionId: string,
  actor: Agent,
): CaptureContext {
  return {
    tenantId: attempt.tenantId,
    moduleId: module.id,
    moduleTitle: module.title,
    version: attempt.version,
    programId: module.programId,
    courseContextId: attempt.contextId,
    resourceLinkId: attempt.resourceLinkId,
    registration: attempt.id,
    sessionId,
    actor,
  };
}
