import type { Question, Test } from '../../learning/module-content.js';

/** One wrong answer of a failed post-test, as the learner's review shows it. */
export interface ReviewItem {
  number: number;
  prompt: string;
  yours: string;
  right: string;
}

/** A response in xAPI form (choice ids joined by "[,]", "true"/"false", the number or text typed) in words. */
function responseText(q: Question, response: string): string {
  switch (q.type) {
    case 'single-choice':
    case 'multiple-choice': {
      const ids = response.split('[,]');
      return ids.map((id) => q.choices.find((c) => c.id === id)?.text ?? id).join('; ');
    }
    case 'true-false':
      return response === 'true' ? 'True' : 'False';
    default:
      return response;
  }
}

function rightText(q: Question): string {
  switch (q.type) {
    case 'single-choice':
    case 'multiple-choice':
      return q.choices
        .filter((c) => q.correct.includes(c.id))
        .map((c) => c.text)
        .join('; ');
    case 'true-false':
      return q.correct ? 'True' : 'False';
    case 'numeric':
      return q.tolerance ? `${q.correct} (give or take ${q.tolerance})` : String(q.correct);
    case 'fill-in':
      return q.correct[0] ?? '';
  }
}

/**
 * The review of a failed post-test: each question answered wrong, numbered as the test numbers it,
 * with the learner's answer and the right one in words. Questions the version no longer has are left out.
 */
export function answerReview(test: Test, wrong: { questionId: string; response: string }[]): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const w of wrong) {
    const index = test.questions.findIndex((q) => q.id === w.questionId);
    if (index < 0) continue;
    const q = test.questions[index]!;
    items.push({
      number: index + 1,
      prompt: q.prompt,
      yours: responseText(q, w.response),
      right: rightText(q),
    });
  }
  return items;
}
