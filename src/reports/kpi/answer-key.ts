import type { Question } from '../../learning/module-content.js';

/**
 * The answer key of a post-test question as the responses statements carry them: choice and fill-in
 * questions list their correct ids or texts, a true/false question "true" or "false", a numeric
 * question its number as text. Empty when the question is unknown (content changed since).
 */
export function answerKey(question: Question | undefined): string[] {
  const correct: unknown = question?.correct;
  if (correct === undefined || correct === null) return [];
  return Array.isArray(correct) ? correct.map(String) : [String(correct)];
}
