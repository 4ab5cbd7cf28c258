import type { ModuleContent } from './module-content.js';

/**
 * The learning area's model: modules and their versions, attempts and learner sessions, cmi5 launches
 * and content experiments. A version's content is a ModuleContent (module-content.ts, types only).
 */

export type { ModuleContent } from './module-content.js';

/** How a learner session ended, or that it has not: abandoned sessions are ended by the background job. */
export type LearningSessionStatus = 'active' | 'terminated' | 'abandoned';

export interface LearningModule {
  tenantId: string;
  id: string;
  programId: string | null;
  title: string;
  createdAt: Date;
}

export interface ModuleVersion {
  tenantId: string;
  moduleId: string;
  version: number;
  status: 'draft' | 'published';
  content: ModuleContent;
  createdAt: Date;
  publishedAt: Date | null;
}

export interface TestResult {
  raw: number;
  max: number;
  scaled: number;
  passed: boolean;
  /** A failed post-test's wrong answers (question id, response in xAPI form), for the learner's review. */
  wrong?: { questionId: string; response: string }[];
}

/** What an attempt has produced so far: the scores the results page shows. */
export interface AttemptResults {
  pre?: TestResult;
  post?: TestResult;
  /** The AGS passback id of the post-test score, when one was sent. */
  passbackId?: string;
}

export interface Attempt {
  tenantId: string;
  id: string;
  moduleId: string;
  version: number;
  userId: string;
  contextId: string;
  resourceLinkId: string;
  status: 'open' | 'completed';
  step: number;
  results: AttemptResults;
  startedAt: Date;
  completedAt: Date | null;
}

export interface LearningSession {
  tenantId: string;
  id: string;
  attemptId: string;
  ltiSessionId: string;
  status: LearningSessionStatus;
  startedAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
  activeSeconds: number;
  estimated: boolean;
}

export interface Cmi5Launch {
  tenantId: string;
  id: string;
  attemptId: string;
  sessionId: string;
  activityId: string;
  agentKey: string;
  secretHash: string | null;
  fetchedAt: Date | null;
  expiresAt: Date;
  /** The publisher's AU id for a launch of a package's AU (cmi5 session rules apply); null otherwise. */
  auId: string | null;
  status: 'launched' | 'initialized' | 'terminated' | 'abandoned';
  createdAt: Date;
  lastStatementAt: Date | null;
}

export type Arm = 'A' | 'B';

export interface ModuleExperiment {
  tenantId: string;
  id: string;
  moduleId: string;
  name: string;
  armAVersion: number;
  armBVersion: number;
  /** Share of learners sent to arm A, in (0, 1). */
  allocationA: number;
  seed: number;
  status: 'running' | 'stopped';
  startedAt: Date;
  stoppedAt: Date | null;
}

export interface ArmAssignment {
  experimentId: string;
  learnerKey: string;
  arm: Arm;
  version: number;
  assignedAt: Date;
}

/** One learner's capture of one module version, reduced from the LRS statements (see armOutcomes). */
export interface LearnerOutcome {
  version: number;
  learner: string;
  completed: boolean;
  passed: boolean;
  /** result.score.scaled of the learner's first passed/failed statement, or null. */
  firstScaled: number | null;
}
