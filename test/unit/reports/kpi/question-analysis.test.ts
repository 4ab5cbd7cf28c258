import assert from 'node:assert/strict';
import { questionAnalysis } from '../../../../src/reports/kpi/question-analysis.js';
import type { ModuleContent } from '../../../../src/learning/module-content.js';
import type { ItemRow } from '../../../../src/reports/kpi/model.js';

describe('questionAnalysis', () => {
  const content: ModuleContent = {
    pages: [],
    postTest: {
      masteryScore: 0.8,
      questions: [
        { id: 'plate', type: 'true-false', prompt: 'Plate?', correct: true },
        { id: 'centre', type: 'true-false', prompt: 'Centre?', correct: false },
        { id: 'height', type: 'numeric', prompt: 'Height?', correct: 15, tolerance: 5 },
      ],
    },
  };
  const row = (itemId: string, moduleVersion = 1): ItemRow => ({
    moduleId: 'm1',
    moduleVersion,
    itemId,
    learners: 20,
    difficulty: 0.5,
    pointBiserial: 0.3,
    upperLowerIndex: 0.4,
  });

  it('lists questions in the order learners saw them, not in item-id order, version by version', () => {
    const { items } = questionAnalysis(
      'm1',
      { items: [row('centre', 2), row('gone'), row('height'), row('centre'), row('plate')], options: [] },
      () => content,
      5,
    );
    assert.deepEqual(
      items.map((i) => `${i.moduleVersion}:${i.itemId}`),
      ['1:plate', '1:centre', '1:height', '1:gone', '2:centre'],
    );
  });
});
