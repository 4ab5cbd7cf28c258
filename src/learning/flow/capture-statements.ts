import { randomUUID } from 'node:crypto';
import type { ContentPage, ModuleContent, ObservationForm, Question, SurveyItem } from '../module-content.js';
import {
  ACTIVITY_TYPES,
  ANONYMOUS_HOME_PAGE,
  CATEGORIES,
  EXTENSIONS,
  iri,
  VERBS,
  type Phase,
  type VerbName,
} from '../vocabulary.js';
import type { QuestionOutcome } from './scoring.js';
import type { ActiveTime } from './time-on-task.js';
import { isoDuration } from '../../xapi/rules/data-types/duration.js';

/** An xAPI Agent identified by an account (Data 2.4.2.1). */
export interface Agent {
  objectType: 'Agent';
  name?: string;
  account: { homePage: string; name: string };
}

export type Statement = Record<string, unknown>;

/** What every statement of one attempt session shares (see the statement shapes in vocabulary.ts). */
export interface CaptureContext {
  tenantId: string;
  moduleId: string;
  moduleTitle: string;
  version: number;
  programId: string | null;
  /** course_context.id */
  courseContextId: string;
  resourceLinkId: string;
  /** The attempt id. */
  registration: string;
  sessionId: string;
  actor: Agent;
}

const en = (text: string) => ({ 'en-US': text });

export function moduleActivity(c: CaptureContext) {
  return {
    objectType: 'Activity',
    id: iri.module(c.tenantId, c.moduleId),
    definition: { type: ACTIVITY_TYPES.module, name: en(c.moduleTitle) },
  };
}

/**
 * Builds statements for one session in order; timestamps are the session clock plus one millisecond
 * per statement, so statements written together keep their order on `timestamp` too.
 */
export class StatementSequence {
  readonly statements: Statement[] = [];
  private t: number;

  /**
   * @param newId makes statement ids (and anonymous identities); random UUIDs unless a generator of
   *   demo data needs them reproducible
   */
  constructor(
    private readonly c: CaptureContext,
    now: Date,
    readonly newId: () => string = randomUUID,
  ) {
    this.t = now.getTime();
  }

  /** Moves the session clock: the next statement is stamped `now` (demo data spread over a session). */
  at(now: Date): void {
    this.t = now.getTime();
  }

  add(
    verb: VerbName,
    object: Record<string, unknown>,
    options: {
      result?: Record<string, unknown>;
      phase?: Phase;
      parent?: boolean;
      categories?: string[];
      extensions?: Record<string, unknown>;
      actor?: Agent;
      registration?: string;
      sessionId?: string;
      /** More grouping activities (cmi5 9.6.2.3: the publisher's id of an AU). */
      grouping?: Record<string, unknown>[];
    } = {},
  ): Statement {
    const c = this.c;
    const grouping: Record<string, unknown>[] = [
      {
        objectType: 'Activity',
        id: iri.course(c.tenantId, c.courseContextId),
        definition: { type: ACTIVITY_TYPES.course },
      },
    ];
    if (c.programId)
      grouping.push({
        objectType: 'Activity',
        id: iri.program(c.tenantId, c.programId),
        definition: { type: ACTIVITY_TYPES.program },
      });
    grouping.push(...(options.grouping ?? []));
    const contextActivities: Record<string, unknown> = { grouping };
    if (options.parent)
      contextActivities.parent = [{ objectType: 'Activity', id: iri.module(c.tenantId, c.moduleId) }];
    if (options.categories?.length)
      contextActivities.category = options.categories.map((id) => ({ objectType: 'Activity', id }));
    const statement: Statement = {
      id: this.newId(),
      actor: options.actor ?? c.actor,
      verb: { id: VERBS[verb], display: en(verb) },
      object,
      context: {
        registration: options.registration ?? c.registration,
        contextActivities,
        extensions: {
          [EXTENSIONS.sessionId]: options.sessionId ?? c.sessionId,
          [EXTENSIONS.moduleVersion]: c.version,
          [EXTENSIONS.assignmentId]: c.resourceLinkId,
          ...(c.programId ? { [EXTENSIONS.campaignId]: c.programId } : {}),
          ...(options.phase ? { [EXTENSIONS.phase]: options.phase } : {}),
          ...options.extensions,
        },
      },
      timestamp: new Date(this.t++).toISOString(),
    };
    if (options.result) statement.result = options.result;
    this.statements.push(statement);
    return statement;
  }

  /** cmi5-defined verbs (launched, initialized, completed, passed, failed, terminated, abandoned). */
  cmi5(verb: VerbName, options: Parameters<StatementSequence['add']>[2] = {}): Statement {
    const moveOn = verb === 'passed' || verb === 'failed' || verb === 'completed';
    return this.add(verb, moduleActivity(this.c), {
      ...options,
      categories: [CATEGORIES.cmi5, ...(moveOn ? [CATEGORIES.moveOn] : [])],
    });
  }
}

export function pageActivity(c: CaptureContext, page: ContentPage) {
  return {
    objectType: 'Activity',
    id: iri.page(c.tenantId, c.moduleId, page.id),
    definition: { type: ACTIVITY_TYPES.page, name: en(page.title) },
  };
}

/** A test question as a cmi.interaction with its correct responses (Data 2.4.4.1 interaction types). */
export function questionActivity(c: CaptureContext, phase: 'pre' | 'post', q: Question) {
  const definition: Record<string, unknown> = {
    type: ACTIVITY_TYPES.interaction,
    name: en(q.prompt),
  };
  switch (q.type) {
    case 'single-choice':
    case 'multiple-choice':
      definition.interactionType = 'choice';
      definition.choices = q.choices.map((ch) => ({ id: ch.id, description: en(ch.text) }));
      definition.correctResponsesPattern = [
        q.choices
          .filter((ch) => q.correct.includes(ch.id))
          .map((ch) => ch.id)
          .join('[,]'),
      ];
      break;
    case 'true-false':
      definition.interactionType = 'true-false';
      definition.correctResponsesPattern = [String(q.correct)];
      break;
    case 'numeric': {
      const t = q.tolerance ?? 0;
      definition.interactionType = 'numeric';
      definition.correctResponsesPattern = [
        t > 0 ? `${q.correct - t}[:]${q.correct + t}` : String(q.correct),
      ];
      break;
    }
    case 'fill-in':
      definition.interactionType = 'fill-in';
      definition.correctResponsesPattern = q.correct.map((a) => `{case_matters=false}${a.trim()}`);
      break;
  }
  return { objectType: 'Activity', id: iri.question(c.tenantId, c.moduleId, phase, q.id), definition };
}

export function answerResult(o: QuestionOutcome) {
  return {
    response: o.response,
    success: o.success,
    score: { raw: o.points, min: 0, max: o.maxPoints },
  };
}

/** Scale points of a survey or observation item as cmi.interaction `scale` (ids "1".."n", NPS "0".."10"). */
function scaleOf(labels: string[], firstId = 1) {
  return labels.map((label, i) => ({ id: String(i + firstId), description: en(label) }));
}

/** A survey item as a cmi.interaction without correct responses (an opinion has none). */
export function surveyItemActivity(c: CaptureContext, item: SurveyItem) {
  const definition: Record<string, unknown> = { type: ACTIVITY_TYPES.interaction, name: en(item.prompt) };
  if (item.type === 'likert') {
    definition.interactionType = 'likert';
    definition.scale = scaleOf(item.scale.labels);
  } else if (item.type === 'nps') {
    definition.interactionType = 'likert';
    definition.scale = scaleOf(
      Array.from({ length: 11 }, (_v, i) => String(i)),
      0,
    );
  } else definition.interactionType = 'long-fill-in';
  return { objectType: 'Activity', id: iri.surveyItem(c.tenantId, c.moduleId, item.id), definition };
}

export function observationItemActivity(c: CaptureContext, item: ObservationForm['items'][number]) {
  return {
    objectType: 'Activity',
    id: iri.observationItem(c.tenantId, c.moduleId, item.id),
    definition: {
      type: ACTIVITY_TYPES.interaction,
      name: en(item.behaviour),
      interactionType: 'likert',
      scale: scaleOf(item.scale.labels),
    },
  };
}

/** A fresh account per anonymous survey response: answers are never tied to a person. */
export function anonymousAgent(name: string = randomUUID()): Agent {
  return { objectType: 'Agent', account: { homePage: ANONYMOUS_HOME_PAGE, name } };
}

/**
 * The cmi5 launch data of the `launched` statement (cmi5 9.6.2.1 launchMode, moveOn, masteryScore):
 * a module with a post-test moves on when completed and passed, one without when completed.
 */
export function launchExtensions(content: Pick<ModuleContent, 'postTest'>): Record<string, unknown> {
  const post = content.postTest;
  return {
    [EXTENSIONS.launchMode]: 'Normal',
    [EXTENSIONS.moveOn]: post ? 'CompletedAndPassed' : 'Completed',
    ...(post ? { [EXTENSIONS.masteryScore]: post.masteryScore } : {}),
  };
}

/**
 * The result of a session's terminated or abandoned statement: its active time as an ISO 8601
 * duration, marked estimated once an idle gap was capped (time-on-task.ts).
 */
export function sessionDurationResult(time: ActiveTime): Record<string, unknown> {
  return {
    duration: isoDuration(time.activeSeconds),
    ...(time.estimated ? { extensions: { [EXTENSIONS.durationEstimated]: true } } : {}),
  };
}
