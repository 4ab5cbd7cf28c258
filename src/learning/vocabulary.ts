/**
 * The xAPI vocabulary of Yardstick's own capture: the contract between the learner modules that write
 * statements (issue #6) and the KPI reports that read them (issue #7). The synthetic generator writes
 * the same shapes, so reports and benchmarks can run on generated data.
 *
 * Statement shapes (every statement of a module attempt):
 * - actor: the learner's LTI Agent, `{ objectType: 'Agent', name, account: { homePage, name } }` from
 *   `lti_user.xapi_home_page` / `lti_user.xapi_name` (anonymous survey answers: see ANONYMOUS_HOME_PAGE).
 * - context.registration: the attempt id (one per learner per module attempt).
 * - context.contextActivities.grouping: the course activity (`courseIri`), and the program activity
 *   (`programIri`) when the module is part of a program; parent: the module activity for pages and
 *   questions; category: the cmi5 category on cmi5-defined statements (launched, initialized, passed,
 *   failed, completed, terminated, abandoned).
 * - context.extensions: SESSION_ID always; MODULE_VERSION (integer), ASSIGNMENT_ID (the LTI resource link
 *   id), CAMPAIGN_ID (program id, or omitted when the module is in no program); PHASE on answers.
 * - answered: object is a question or survey item activity of type cmi.interaction with interactionType,
 *   choices, correctResponsesPattern (never on survey or observation items); result.response and, for
 *   test questions, result.success.
 * - result.response formats (what learning/flow writes and reports/kpi/survey-items.ts reads back):
 *   Likert survey items and observation ratings: the 1-based level number of the item's scale as a
 *   decimal string ("1" = the first label, e.g. "Strongly disagree"; "5" = the last), never the label
 *   text; NPS items: the rating "0".."10"; free text: the trimmed text. Test questions: choice ids joined
 *   by "[,]" (xAPI Data 2.4.4.1 interaction responses), "true"/"false", the number as typed, the fill-in
 *   text. The interaction's `scale` lists the level ids "1".."n" (NPS "0".."10").
 * - passed / failed: object the module, result.score { scaled, raw, min, max }, result.success.
 * - terminated / abandoned: object the module, result.duration (ISO 8601); result.extensions
 *   DURATION_ESTIMATED true when the duration was capped for idle time or the session was abandoned.
 */

export const VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  /** cmi5 9.3.7 and 9.3.9: issued by the LMS for AUs (waived) and blocks and courses (satisfied). */
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
} as const;

export type VerbName = keyof typeof VERBS;

/**
 * Yardstick's own IRIs live under one permanent namespace (a w3id.org redirect to register before the
 * first customer records data). The cmi5 ones are the cmi5 specification's.
 */
export const NAMESPACE = 'https://w3id.org/yardstick/xapi';

export const EXTENSIONS = {
  moduleVersion: `${NAMESPACE}/extensions/module_version`,
  assignmentId: `${NAMESPACE}/extensions/assignment_id`,
  campaignId: `${NAMESPACE}/extensions/campaign_id`,
  /** 'pre' | 'post' | 'survey' | 'observation', on answered statements. */
  phase: `${NAMESPACE}/extensions/phase`,
  /** On a manager's observation answers: the observed learner's Agent. */
  observedLearner: `${NAMESPACE}/extensions/observed_learner`,
  /** result.extensions: true when a session's duration is an estimate (idle-capped or abandoned). */
  durationEstimated: `${NAMESPACE}/result/extensions/duration_estimated`,
  sessionId: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
  progress: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
  /** cmi5 9.6.3: on launched statements. */
  launchMode: 'https://w3id.org/xapi/cmi5/context/extensions/launchmode',
  moveOn: 'https://w3id.org/xapi/cmi5/context/extensions/moveon',
  masteryScore: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
  launchUrl: 'https://w3id.org/xapi/cmi5/context/extensions/launchurl',
  publisherId: 'https://w3id.org/xapi/cmi5/context/extensions/publisherid',
  launchParameters: 'https://w3id.org/xapi/cmi5/context/extensions/launchparameters',
  /** cmi5 9.5.5.2: result.extensions of a waived statement. */
  reason: 'https://w3id.org/xapi/cmi5/result/extensions/reason',
} as const;

export const CATEGORIES = {
  cmi5: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
  moveOn: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
} as const;

export const ACTIVITY_TYPES = {
  module: 'http://adlnet.gov/expapi/activities/module',
  course: 'http://adlnet.gov/expapi/activities/course',
  program: `${NAMESPACE}/activities/program`,
  page: 'http://adlnet.gov/expapi/activities/lesson',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  survey: 'http://adlnet.gov/expapi/activities/survey',
  /** cmi5 9.4: the LMS's block and course objects of satisfied statements. */
  cmi5Block: 'https://w3id.org/xapi/cmi5/activitytype/block',
  cmi5Course: 'https://w3id.org/xapi/cmi5/activitytype/course',
} as const;

/** Answers of anonymous surveys carry a fresh account under this home page per response. */
export const ANONYMOUS_HOME_PAGE = `${NAMESPACE}/anonymous`;

export type Phase = 'pre' | 'post' | 'survey' | 'observation';

const base = (tenantId: string) => `${NAMESPACE}/tenants/${tenantId}`;

/** Activity IRIs: stable across module versions (the version travels in MODULE_VERSION). */
export const iri = {
  module: (tenantId: string, moduleId: string) => `${base(tenantId)}/modules/${moduleId}`,
  page: (tenantId: string, moduleId: string, pageId: string) =>
    `${iri.module(tenantId, moduleId)}/pages/${encodeURIComponent(pageId)}`,
  question: (tenantId: string, moduleId: string, phase: 'pre' | 'post', questionId: string) =>
    `${iri.module(tenantId, moduleId)}/${phase}-test/${encodeURIComponent(questionId)}`,
  surveyItem: (tenantId: string, moduleId: string, itemId: string) =>
    `${iri.module(tenantId, moduleId)}/survey/${encodeURIComponent(itemId)}`,
  observationItem: (tenantId: string, moduleId: string, itemId: string) =>
    `${iri.module(tenantId, moduleId)}/observation/${encodeURIComponent(itemId)}`,
  /**
   * A cmi5 AU of a module made from a package: the activity id Yardstick launches it with. cmi5 (9.6.2.3)
   * has the LMS use its own id and keep the publisher's `au@id` in a grouping activity; it is stable
   * across the module's versions, so a newer package of the same course reports on the same activity.
   */
  au: (tenantId: string, moduleId: string, auId: string) =>
    `${iri.module(tenantId, moduleId)}/aus/${encodeURIComponent(auId)}`,
  /**
   * The LMS's objects for a package's blocks and course in satisfied statements (cmi5 9.4: generated by
   * the LMS, not the publisher's ids, and the same in every satisfied statement about them).
   */
  cmi5Block: (tenantId: string, moduleId: string, blockId: string) =>
    `${iri.module(tenantId, moduleId)}/blocks/${encodeURIComponent(blockId)}`,
  cmi5Course: (tenantId: string, moduleId: string) => `${iri.module(tenantId, moduleId)}/cmi5-course`,
  /** `courseContextId` is `course_context.id` (a uuid), not the LMS's context id. */
  course: (tenantId: string, courseContextId: string) => `${base(tenantId)}/courses/${courseContextId}`,
  program: (tenantId: string, programId: string) => `${base(tenantId)}/programs/${programId}`,
};
