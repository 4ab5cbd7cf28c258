import type { Question } from '../../learning/module-content.js';

const CHOICE_DELIMITER = '[,]';

/**
 * Whether a stored post-test response is a correct answer, by the rules learning/flow/scoring.ts
 * scores with, so the item analysis marks the same answers as keys as the score counted: a choice id
 * (one choice of a multiple-choice answer is a key when it is a correct choice, as the item analysis
 * counts choices one by one; a whole response "a[,]b" only when it is exactly the correct set; xAPI Data
 * 2.4.4.1), "true"
 * or "false", a number within the question's tolerance, a fill-in text equal to an accepted answer
 * trimmed and ignoring case. False when the question is unknown (its content changed since).
 */
export function isKeyResponse(question: Question | undefined, response: string): boolean {
  if (!question) return false;
  switch (question.type) {
    case 'single-choice':
    case 'multiple-choice': {
      const given = response.split(CHOICE_DELIMITER);
      // The item analysis counts each choice of a multiple-choice answer: a correct choice is a key.
      if (question.type === 'multiple-choice' && given.length === 1)
        return question.correct.includes(response);
      return (
        given.length === new Set(given).size &&
        given.length === question.correct.length &&
        given.every((g) => question.correct.includes(g))
      );
    }
    case 'true-false':
      return response === String(question.correct);
    case 'numeric': {
      const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(response.trim()) ? Number(response) : NaN;
      return Number.isFinite(n) && Math.abs(n - question.correct) <= (question.tolerance ?? 0) + 1e-9;
    }
    case 'fill-in': {
      const norm = response.trim().toLowerCase();
      return question.correct.some((c) => c.trim().toLowerCase() === norm);
    }
  }
}
