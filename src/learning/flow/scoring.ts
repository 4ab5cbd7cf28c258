import { ValidationError, type ErrorDetail } from '../../errors.js';
import type { Question, Test } from '../module-content.js';

/** Form answers by question id: one value, or several for multiple choice. */
export type Answers = Record<string, string | string[]>;

export interface QuestionOutcome {
  question: Question;
  /** The learner's answer in xAPI response form (Data 2.4.4.1: choice ids joined by "[,]", ...). */
  response: string;
  success: boolean;
  points: number;
  maxPoints: number;
}

export interface TestScore {
  raw: number;
  max: number;
  /** raw / max, 0..1 (0 for a test worth no points). */
  scaled: number;
  passed: boolean;
  outcomes: QuestionOutcome[];
}

const MAX_TEXT = 500;
const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const one = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;

/**
 * Scores a test on the server (the browser never decides correctness). Every question must be
 * answered; an answer to a question the test does not have, or a choice the question does not offer,
 * is refused as tampering. All problems are reported at once (ValidationError, one detail per
 * question, path = question id).
 *
 * Rules: single choice and true/false match exactly; multiple choice needs all and only the correct
 * choices; numeric accepts |answer - correct| <= tolerance (absolute, default 0); fill-in compares
 * trimmed and case-insensitively with each accepted answer. No partial credit.
 */
export function scoreTest(test: Test, answers: Answers): TestScore {
  const problems: ErrorDetail[] = [];
  const known = new Set(test.questions.map((q) => q.id));
  for (const id of Object.keys(answers))
    if (!known.has(id))
      problems.push({
        path: id,
        message: 'is not a question of this test; reload the page and answer again',
      });

  const outcomes: QuestionOutcome[] = [];
  test.questions.forEach((q, i) => {
    const label = `Question ${i + 1}`;
    const value = answers[q.id];
    if (value === undefined || list(value).every((v) => v.trim() === '')) {
      problems.push({ path: q.id, message: `${label} has no answer yet; answer it to continue` });
      return;
    }
    const checked = checkAnswer(q, value, label);
    if ('problem' in checked) problems.push({ path: q.id, message: checked.problem });
    else {
      const maxPoints = q.points ?? 1;
      outcomes.push({ question: q, ...checked, points: checked.success ? maxPoints : 0, maxPoints });
    }
  });
  if (problems.length)
    throw new ValidationError(
      `The answers are not complete or not valid: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  const raw = outcomes.reduce((s, o) => s + o.points, 0);
  const max = outcomes.reduce((s, o) => s + o.maxPoints, 0);
  const scaled = max > 0 ? raw / max : 0;
  return { raw, max, scaled, passed: scaled >= test.masteryScore, outcomes };
}

function checkAnswer(
  q: Question,
  value: string | string[],
  label: string,
): { response: string; success: boolean } | { problem: string } {
  switch (q.type) {
    case 'single-choice': {
      const v = one(value);
      if (v === undefined || !q.choices.some((c) => c.id === v))
        return { problem: `${label}: pick one of the offered choices` };
      return { response: v, success: q.correct.length === 1 && q.correct[0] === v };
    }
    case 'multiple-choice': {
      const vs = list(value);
      if (new Set(vs).size !== vs.length || vs.some((v) => !q.choices.some((c) => c.id === v)))
        return { problem: `${label}: pick only offered choices, each once` };
      const chosen = new Set(vs);
      const success = chosen.size === q.correct.length && q.correct.every((c) => chosen.has(c));
      // Response order follows the question's choice order, so equal answers read the same.
      const ordered = q.choices.filter((c) => chosen.has(c.id)).map((c) => c.id);
      return { response: ordered.join('[,]'), success };
    }
    case 'true-false': {
      const v = one(value);
      if (v !== 'true' && v !== 'false') return { problem: `${label}: answer true or false` };
      return { response: v, success: (v === 'true') === q.correct };
    }
    case 'numeric': {
      const v = one(value)?.trim();
      const n = v !== undefined && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(n)) return { problem: `${label}: enter a number such as 12 or 3.5` };
      // A small epsilon keeps 0.1 + 0.2 style float error from failing an answer right on the edge.
      const success = Math.abs(n - q.correct) <= (q.tolerance ?? 0) + 1e-9;
      return { response: String(n), success };
    }
    case 'fill-in': {
      const v = one(value)?.trim();
      if (v === undefined || v.length > MAX_TEXT)
        return { problem: `${label}: enter one answer of at most ${MAX_TEXT} characters` };
      const norm = v.toLowerCase();
      return { response: v, success: q.correct.some((c) => c.trim().toLowerCase() === norm) };
    }
  }
}
