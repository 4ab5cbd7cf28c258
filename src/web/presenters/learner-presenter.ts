import type { ErrorDetail } from '../../errors.js';
import { answerReview } from './answer-review.js';
import type { LearnerState } from '../../learning/flow/learner-flow-service.js';
import type { MoveOn, Question, SurveyItem } from '../../learning/module-content.js';
import { ausOf } from '../../learning/cmi5/move-on.js';
import { renderPageHtml } from '../../learning/render-page.js';
import type { Answers } from '../../learning/flow/scoring.js';

type StepState = Extract<LearnerState, { kind: 'step' }>;
type ResultsState = Extract<LearnerState, { kind: 'results' }>;

/** Form field name of an answer: "a." + the question or item id (ids are the author's). */
export const answerField = (id: string) => `a.${id}`;

interface Option {
  value: string;
  label: string;
  inputId: string;
  checked: boolean;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

function fieldId(prefix: string, i: number, j?: number) {
  return j === undefined ? `${prefix}-${i}` : `${prefix}-${i}-${j}`;
}

function given(previous: Answers | undefined, id: string): string[] {
  const v = previous?.[id];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function questionView(q: Question, i: number, errors: Map<string, string>, previous?: Answers) {
  const name = answerField(q.id);
  const base = {
    number: i + 1,
    prompt: q.prompt,
    name,
    id: fieldId('q', i),
    error: errors.get(q.id),
    errorId: `${fieldId('q', i)}-error`,
  };
  const chosen = given(previous, q.id);
  const options = (pairs: [string, string][]): Option[] =>
    pairs.map(([value, label], j) => ({
      value,
      label,
      inputId: fieldId('q', i, j),
      checked: chosen.includes(value),
    }));
  switch (q.type) {
    case 'single-choice':
      return { ...base, radio: true, options: options(q.choices.map((c) => [c.id, c.text])) };
    case 'multiple-choice':
      return {
        ...base,
        checkbox: true,
        hint: 'Select all that apply.',
        options: options(q.choices.map((c) => [c.id, c.text])),
      };
    case 'true-false':
      return {
        ...base,
        radio: true,
        options: options([
          ['true', 'True'],
          ['false', 'False'],
        ]),
      };
    case 'numeric':
      return { ...base, numeric: true, value: chosen[0] ?? '' };
    case 'fill-in':
      return { ...base, text: true, value: chosen[0] ?? '' };
  }
}

function surveyItemView(item: SurveyItem, i: number, errors: Map<string, string>, previous?: Answers) {
  const name = answerField(item.id);
  const base = {
    number: i + 1,
    prompt: item.prompt,
    name,
    id: fieldId('s', i),
    error: errors.get(item.id),
    errorId: `${fieldId('s', i)}-error`,
  };
  const chosen = given(previous, item.id);
  if (item.type === 'text') return { ...base, textarea: true, value: chosen[0] ?? '', hint: 'Optional.' };
  const labels =
    item.type === 'nps'
      ? Array.from({ length: 11 }, (_v, k) => ({ value: String(k), label: String(k) }))
      : item.scale.labels.map((label, k) => ({ value: String(k + 1), label }));
  return {
    ...base,
    scale: true,
    nps: item.type === 'nps',
    hint: item.type === 'nps' ? '0 = not at all likely, 10 = extremely likely.' : undefined,
    options: labels.map((o, j) => ({ ...o, inputId: fieldId('s', i, j), checked: chosen.includes(o.value) })),
  };
}

/** What a learner does in an AU for the LMS to move on (cmi5 moveOn), in words. */
const MOVE_ON_WORDS: Record<MoveOn, string> = {
  Passed: 'Pass it, then continue here.',
  Completed: 'Go through it to the end, then continue here.',
  CompletedAndPassed: 'Go through it to the end and pass it, then continue here.',
  CompletedOrPassed: 'Go through it to the end or pass it, then continue here.',
  NotApplicable: 'It is optional: continue whenever you like.',
};

/** The view model of the step a learner is on (errors and previous answers when a submission failed). */
export function presentStep(
  state: StepState,
  linkId: string,
  failed?: { errors: ErrorDetail[]; answers: Answers },
) {
  const errors = new Map((failed?.errors ?? []).map((e) => [e.path ?? '', e.message]));
  const { step, content, stepNumber, steps } = state;
  const base = {
    title: state.module.title,
    linkId: encodeURIComponent(linkId),
    attemptId: state.attempt.id,
    stepNumber,
    stepLabel: `Step ${stepNumber + 1} of ${steps.length}`,
    progressValue: stepNumber,
    progressMax: steps.length,
    errorSummary: failed?.errors.map((e, k) => ({ message: e.message, key: k })),
  };
  if (step.kind === 'test') {
    const test = step.phase === 'pre' ? content.preTest! : content.postTest!;
    return {
      ...base,
      heading:
        step.phase === 'pre' ? 'Before you start: what do you know already?' : 'Check what you learned',
      intro:
        step.phase === 'pre'
          ? 'This short quiz does not count towards your grade. Answer as well as you can.'
          : `Answer every question. You pass with ${percent(test.masteryScore)} of the points.`,
      questions: test.questions.map((q, i) => questionView(q, i, errors, failed?.answers)),
      submitLabel: 'Submit answers',
    };
  }
  if (step.kind === 'page') {
    const page = content.pages[step.index]!;
    return { ...base, heading: page.title, pageHtml: renderPageHtml(page), submitLabel: 'Next' };
  }
  if (step.kind === 'au') {
    const au = ausOf(content.cmi5!.items)[step.index]!;
    return {
      ...base,
      heading: au.title,
      intro: `Part ${step.index + 1} of the course "${content.cmi5!.title}". ${MOVE_ON_WORDS[au.moveOn]}`,
      au: { launchLabel: `Start "${au.title}"` },
      submitLabel: 'Continue',
    };
  }
  if (step.kind === 'external') {
    return { ...base, heading: 'External activity', external: true, submitLabel: 'I have finished' };
  }
  const post = state.attempt.results.post;
  return {
    ...base,
    heading: 'Tell us what you think (optional)',
    // Results first (issue #15): the survey does not hold back the score.
    resultSoFar: post && {
      passed: post.passed,
      raw: post.raw,
      max: post.max,
      percent: percent(post.scaled),
    },
    intro: `Every question is optional; skip the survey if you like. ${
      content.survey!.anonymous
        ? 'Your answers are anonymous: they are stored without your name or account.'
        : 'Your answers are stored with your account.'
    }`,
    survey: true,
    surveyItems: content.survey!.items.map((item, i) => surveyItemView(item, i, errors, failed?.answers)),
    submitLabel: 'Send and finish',
  };
}

export function presentResults(state: ResultsState, linkId: string) {
  const { attempt } = state;
  const score = (r: { raw: number; max: number; scaled: number; passed: boolean } | undefined) =>
    r && { raw: r.raw, max: r.max, percent: percent(r.scaled), passed: r.passed };
  const pre = score(attempt.results.pre);
  const post = score(attempt.results.post);
  // After a pass the next step is back to the course; a new attempt is there for a better score only.
  const done = post ? post.passed : attempt.status === 'completed';
  return {
    title: state.module.title,
    linkId: encodeURIComponent(linkId),
    finished: attempt.status === 'completed',
    done,
    pre,
    post,
    gain:
      pre && post
        ? Math.round((attempt.results.post!.scaled - attempt.results.pre!.scaled) * 100)
        : undefined,
    mastery: state.content.postTest ? percent(state.content.postTest.masteryScore) : undefined,
    // The author's choice (on unless turned off): what was wrong in a failed post-test.
    review:
      post && !post.passed && state.content.reviewAfterFail !== false && state.content.postTest
        ? answerReview(state.content.postTest, attempt.results.post!.wrong ?? [])
        : [],
    gradeSent: Boolean(attempt.results.passbackId),
    attemptsUsed: state.attemptsUsed,
    attemptsLeft: state.attemptsLeft,
    canStartNew: state.attemptsLeft === null || state.attemptsLeft > 0,
    // Full marks leave nothing to improve: the new-attempt button then says no more than that.
    perfect: post ? post.raw === post.max : false,
    hasObservation: Boolean(state.content.observation?.items.length),
  };
}
