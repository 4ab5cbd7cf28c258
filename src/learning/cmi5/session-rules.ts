import { ValidationError } from '../../errors.js';
import type { JsonObject } from '../../xapi/rules/index.js';
import { isJsonNumber } from '../../xapi/rules/json.js';
import { CATEGORIES, EXTENSIONS, VERBS } from '../vocabulary.js';

/** What the LMS knows of one AU session when a request of the AU arrives (cmi5 9.3). */
export interface AuSessionState {
  sessionId: string;
  registration: string;
  /** The AU's activity id (the `activityId` launch parameter). */
  activityId: string;
  status: 'launched' | 'initialized' | 'terminated' | 'abandoned';
  masteryScore?: number;
  /** Verbs of the cmi5 defined statements stored in this session. */
  sessionVerbs: ReadonlySet<string>;
  /** Verbs of the cmi5 defined statements stored about this AU in the registration (all sessions). */
  registrationVerbs: ReadonlySet<string>;
}

/** Verbs only the LMS may use in cmi5 defined statements. */
const LMS_VERBS = new Set<string>([VERBS.launched, VERBS.abandoned, VERBS.waived, VERBS.satisfied]);
const AU_VERBS = new Set<string>([
  VERBS.initialized,
  VERBS.completed,
  VERBS.passed,
  VERBS.failed,
  VERBS.terminated,
]);

const refuse = (index: number, rule: string, message: string): never => {
  throw new ValidationError(`Statement ${index + 1} breaks cmi5 ${rule}: ${message}`, [
    { path: `statements[${index}]`, message: `cmi5 ${rule}` },
  ]);
};

const contextOf = (s: JsonObject) => (s.context ?? {}) as Record<string, unknown>;
const categoriesOf = (s: JsonObject): string[] => {
  const ca = contextOf(s).contextActivities as { category?: unknown } | undefined;
  const list = Array.isArray(ca?.category) ? ca.category : ca?.category ? [ca.category] : [];
  return list.map((a) => (a as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
};
const verbOf = (s: JsonObject) => String((s.verb as { id?: unknown } | undefined)?.id ?? '');

/**
 * Judges the statements an AU sends in one request against the cmi5 rules for an AU session, in order,
 * and returns the session as it will be once they are stored. Throws ValidationError naming the
 * statement and the rule (section of cmi5 quartz) it breaks; nothing of the request is stored then.
 *
 * Every statement (cmi5 defined or allowed): the session must still be open (9.3.8 terminated, 9.3.6
 * abandoned), the first one is `initialized` (9.3.2), each carries the session id (9.6.3.1). cmi5 defined
 * statements (a cmi5 verb and the cmi5 category, 7.1.3): about the launched AU (9.4), no verb twice in a
 * session and not both passed and failed (9.3), completed and passed at most once per registration and
 * failed never after passed (9.3, 9.3.3, 9.3.4), the score against masteryScore (9.3.4, 9.3.5), the
 * result flags (9.5.2, 9.5.3) and duration (9.5.4.1), and no LMS verbs (9.3.1, 9.3.6, 9.3.7, 9.3.9).
 */
export function admitAuStatements(state: AuSessionState, statements: JsonObject[]): AuSessionState {
  let status = state.status;
  const sessionVerbs = new Set(state.sessionVerbs);
  const registrationVerbs = new Set(state.registrationVerbs);
  statements.forEach((s, i) => {
    if (status === 'terminated')
      refuse(
        i,
        '9.3.8',
        'the AU session has terminated; an AU sends nothing after its terminated statement. Launch the AU again for a new session.',
      );
    if (status === 'abandoned')
      refuse(
        i,
        '9.3.6',
        'the LMS abandoned this AU session (the AU was launched again); statements of a new launch use its own session id and token.',
      );
    const verb = verbOf(s);
    if (status === 'launched' && verb !== VERBS.initialized)
      refuse(i, '9.3.2', 'the first statement of an AU session must be initialized.');
    const extensions = (contextOf(s).extensions ?? {}) as Record<string, unknown>;
    if (extensions[EXTENSIONS.sessionId] !== state.sessionId)
      refuse(
        i,
        '9.6.3.1',
        `context.extensions["${EXTENSIONS.sessionId}"] must be the session id of LMS.LaunchData's contextTemplate.`,
      );
    const defined = (AU_VERBS.has(verb) || LMS_VERBS.has(verb)) && categoriesOf(s).includes(CATEGORIES.cmi5);
    if (defined) checkDefined(s, i, verb, state, sessionVerbs, registrationVerbs);
    if (verb === VERBS.initialized) status = 'initialized';
    if (verb === VERBS.terminated) status = 'terminated';
    if (defined) {
      sessionVerbs.add(verb);
      registrationVerbs.add(verb);
    }
  });
  return { ...state, status, sessionVerbs, registrationVerbs };
}

function checkDefined(
  s: JsonObject,
  i: number,
  verb: string,
  state: AuSessionState,
  sessionVerbs: Set<string>,
  registrationVerbs: Set<string>,
): void {
  if (LMS_VERBS.has(verb))
    refuse(i, '9.3', `only the LMS sends ${verb.split('/').pop()} statements, not an AU.`);
  if ((s.object as { id?: unknown } | undefined)?.id !== state.activityId)
    refuse(
      i,
      '9.4',
      `the object of a cmi5 defined statement is the AU, id "${state.activityId}" (the activityId launch parameter).`,
    );
  const name = verb.split('/').pop()!;
  if (sessionVerbs.has(verb)) refuse(i, '9.3', `the verb ${name} was already used in this AU session.`);
  if (verb === VERBS.completed && registrationVerbs.has(verb))
    refuse(i, '9.3.3', 'the AU already sent completed in this registration.');
  if (verb === VERBS.passed && registrationVerbs.has(verb))
    refuse(i, '9.3.4', 'the AU already sent passed in this registration.');
  if (verb === VERBS.failed && registrationVerbs.has(VERBS.passed))
    refuse(i, '9.3', 'failed must not follow passed in a registration.');
  if (
    (verb === VERBS.passed || verb === VERBS.failed) &&
    sessionVerbs.has(verb === VERBS.passed ? VERBS.failed : VERBS.passed)
  )
    refuse(i, '9.3', 'an AU session has at most one of passed and failed.');
  const result = (s.result ?? {}) as {
    success?: unknown;
    completion?: unknown;
    duration?: unknown;
    score?: { scaled?: unknown };
  };
  // Statements arrive parsed with lossless numbers (xAPI rules keep the sender's digits).
  const scaled = isJsonNumber(result.score?.scaled) ? Number(result.score?.scaled) : undefined;
  if (verb === VERBS.passed && result.success !== true)
    refuse(i, '9.5.2', 'a passed statement has result.success true.');
  if (verb === VERBS.failed && result.success !== false)
    refuse(i, '9.5.2', 'a failed statement has result.success false.');
  if (verb === VERBS.completed && result.completion !== true)
    refuse(i, '9.5.3', 'a completed statement has result.completion true.');
  if (verb !== VERBS.passed && verb !== VERBS.failed && result.score !== undefined)
    refuse(i, '9.5.1', 'only passed and failed statements carry a score.');
  if (state.masteryScore !== undefined && scaled !== undefined) {
    if (verb === VERBS.passed && scaled < state.masteryScore)
      refuse(
        i,
        '9.3.4',
        `the scaled score ${scaled} is below the masteryScore ${state.masteryScore}; send failed.`,
      );
    if (verb === VERBS.failed && scaled >= state.masteryScore)
      refuse(
        i,
        '9.3.5',
        `the scaled score ${scaled} reaches the masteryScore ${state.masteryScore}; send passed.`,
      );
  }
  if (
    [VERBS.terminated, VERBS.completed, VERBS.passed, VERBS.failed].includes(verb as never) &&
    typeof result.duration !== 'string'
  )
    refuse(i, '9.5.4.1', `a ${name} statement includes result.duration.`);
}
