import { ValidationError } from '../../errors.js';
import type { AttemptResults } from '../model.js';
import type { Cmi5Au, ModuleContent } from '../module-content.js';
import { ausOf, moveOnMissing } from '../cmi5/move-on.js';
import type { Step } from './step-plan.js';
import { scoreTest, type Answers } from './scoring.js';
import { readSurvey } from './survey-answers.js';
import {
  anonymousAgent,
  answerResult,
  pageActivity,
  questionActivity,
  surveyItemActivity,
  type CaptureContext,
  type StatementSequence,
} from './capture-statements.js';

const round4 = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Checks and scores the answers of one step and adds its statements to `seq` (answered, experienced,
 * passed/failed); throws ValidationError (nothing added) for incomplete or tampered answers. Returns the
 * attempt's results so far and, for a post-test, the score to send to the gradebook.
 */
export async function captureStep(input: {
  c: CaptureContext;
  seq: StatementSequence;
  step: Step;
  content: ModuleContent;
  answers: Answers;
  results: AttemptResults;
  /** The external content's reported verbs; undefined when they cannot be read (moveOn not judged). */
  reportedVerbs: () => Promise<string[] | undefined>;
  /** What a cmi5 package's AU still has to report for its moveOn, in words; undefined when met. */
  auMissing?: (au: Cmi5Au) => Promise<string | undefined>;
  /**
   * False when someone other than a learner runs the module (an instructor or admin trying it out):
   * their survey answers keep their own account, so an anonymous survey's results, which cannot be
   * matched to the roster, never include a preview.
   */
  anonymousSurveys: boolean;
}): Promise<{ results: AttemptResults; postScore?: { raw: number; max: number } }> {
  const { c, seq, step, content } = input;
  const results: AttemptResults = { ...input.results };
  let postScore: { raw: number; max: number } | undefined;
  let verbs: string[] | undefined;
  if (step.kind === 'test') {
    const captured = captureTest(c, seq, step.phase, content, input.answers);
    results[step.phase] = captured.summary;
    postScore = captured.postScore;
  } else if (step.kind === 'external' && (verbs = await input.reportedVerbs()) !== undefined) {
    const external = content.external!;
    const missing = moveOnMissing(external.moveOn, new Set(verbs));
    if (missing) {
      const message = `The activity has not reported that you ${missing} yet (its moveOn is ${external.moveOn}); finish it in its window, then continue.`;
      throw new ValidationError(message, [{ path: 'external', message }]);
    }
  } else if (step.kind === 'au') {
    const au = ausOf(content.cmi5!.items)[step.index]!;
    const missing = input.auMissing && (await input.auMissing(au));
    if (missing) {
      const message = `"${au.title}" has not reported that you ${missing} yet (its moveOn is ${au.moveOn}); launch it, finish it, then continue.`;
      throw new ValidationError(message, [{ path: 'au', message }]);
    }
  } else if (step.kind === 'page' || step.kind === 'external') {
    if (Object.keys(input.answers).length)
      throw new ValidationError('A content page takes no answers; reload the page and continue.', [
        ...Object.keys(input.answers).map((path) => ({
          path,
          message: 'not a field of this page',
        })),
      ]);
    if (step.kind === 'page')
      seq.add('experienced', pageActivity(c, content.pages[step.index]!), { parent: true });
  } else {
    captureSurvey(c, seq, content, input.answers, input.anonymousSurveys);
  }
  return { results, postScore };
}

/**
 * Scores a test step and adds its statements: one answered per question, and for the post-test
 * passed or failed with the score (cmi5). Throws ValidationError (nothing added) for incomplete or
 * tampered answers.
 */
export function captureTest(
  c: CaptureContext,
  seq: StatementSequence,
  phase: 'pre' | 'post',
  content: ModuleContent,
  answers: Answers,
): { summary: NonNullable<AttemptResults['pre']>; postScore?: { raw: number; max: number } } {
  const test = phase === 'pre' ? content.preTest! : content.postTest!;
  const score = scoreTest(test, answers);
  for (const o of score.outcomes)
    seq.add('answered', questionActivity(c, phase, o.question), {
      result: answerResult(o),
      phase,
      parent: true,
    });
  const summary: NonNullable<AttemptResults['pre']> = {
    raw: score.raw,
    max: score.max,
    scaled: round4(score.scaled),
    passed: score.passed,
  };
  if (phase === 'pre') return { summary };
  if (!score.passed)
    summary.wrong = score.outcomes
      .filter((o) => !o.success)
      .map((o) => ({ questionId: o.question.id, response: o.response }));
  seq.cmi5(score.passed ? 'passed' : 'failed', {
    result: {
      score: { scaled: summary.scaled, raw: score.raw, min: 0, max: score.max },
      success: score.passed,
    },
  });
  return { summary, postScore: { raw: score.raw, max: score.max } };
}

/**
 * Reads a survey step and adds one answered statement per response. An anonymous survey answered by a
 * learner gets one fresh actor, registration and session for the whole response (vocabulary.ts), so
 * nothing ties it to the learner.
 */
export function captureSurvey(
  c: CaptureContext,
  seq: StatementSequence,
  content: ModuleContent,
  answers: Answers,
  anonymousSurveys: boolean,
): void {
  const survey = content.survey!;
  const responses = readSurvey(survey, answers);
  const anonymous =
    survey.anonymous && anonymousSurveys
      ? { actor: anonymousAgent(seq.newId()), registration: seq.newId(), sessionId: seq.newId() }
      : {};
  for (const r of responses)
    seq.add('answered', surveyItemActivity(c, r.item), {
      result: { response: r.response },
      phase: 'survey',
      parent: true,
      ...anonymous,
    });
}
