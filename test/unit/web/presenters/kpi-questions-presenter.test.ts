import assert from 'node:assert/strict';
import { questionGroups } from '../../../../src/web/presenters/kpi-questions-presenter.js';
import type { KpiReport } from '../../../../src/reports/kpi/kpi-report-service.js';
import type { ItemKpi } from '../../../../src/reports/kpi/question-analysis.js';

const item = (itemId: string, difficulty: number, pointBiserial: number | null): ItemKpi => ({
  moduleVersion: 1,
  itemId,
  prompt: `What is ${itemId}?`,
  learners: 40,
  difficulty,
  pointBiserial,
  upperLowerIndex: 0.123456,
  options: [
    { option: 'a', label: 'The right one', isKey: true, count: 30, upperCount: 10, lowerCount: 5 },
    { option: 'b', label: 'A wrong one', isKey: false, count: 10, upperCount: 1, lowerCount: 6 },
  ],
  omitted: 0,
});

const report = (modules: Partial<KpiReport['modules'][number]>[]) =>
  ({ minimumGroupSize: 5, modules }) as unknown as KpiReport;

describe('question analysis presenter', () => {
  it('numbers the questions, shows their text, difficulty as a percent and flags with reasons', () => {
    const [group] = questionGroups(
      report([
        {
          module: { id: 'm1', title: 'Load limits' } as never,
          items: [item('q1', 0.95, 0.31), item('q2', 0.5, 0.1)],
          itemsSuppressed: false,
        },
      ]),
    );
    assert.equal(group!.flagged, 2);
    const [q1, q2] = group!.questions;
    assert.equal(q1!.number, 1);
    assert.equal(q2!.number, 2);
    assert.equal(q1!.prompt, 'What is q1?');
    assert.equal(q1!.difficulty, '95%');
    assert.equal(q1!.upperLower, '0.12');
    assert.match(q1!.flags[0]!, /^Too easy/);
    assert.match(q2!.flags[0]!, /^Discriminates poorly/);
    assert.deepEqual(
      q1!.options.map((o) => [o.label, o.correct, o.chosen]),
      [
        ['The right one', true, '30'],
        ['A wrong one', false, '10'],
      ],
    );
  });

  it('says why a withheld module has no questions', () => {
    const [group] = questionGroups(
      report([{ module: { id: 'm1', title: 'Load limits' } as never, items: [], itemsSuppressed: true }]),
    );
    assert.equal(group!.questions.length, 0);
    assert.match(group!.withheld!, /fewer than 5 learners/);
  });
});
