import assert from 'node:assert/strict';
import { summaryCards } from '../../../../src/web/presenters/kpi-summary-presenter.js';
import type { KpiOverview, ModuleOverview } from '../../../../src/reports/kpi/kpi-report-service.js';

const shown = (successes: number, trials: number) =>
  ({
    status: 'shown',
    successes,
    trials,
    estimate: successes / trials,
    lower: 0.1,
    upper: 0.9,
    confidence: 0.95,
  }) as const;

const module = (title: string, over: Partial<ModuleOverview>): ModuleOverview => ({
  module: { id: title, title },
  started: 10,
  completion: shown(5, 10),
  mastery: shown(3, 6),
  retakes: { retook: 0, passedOnRetake: 0, failedAfterPass: 0 },
  time: { learners: 10, medianMinutes: 8.2, p90Minutes: 20, sessions: 12, estimatedSessions: 0 },
  timeSuppressed: false,
  scores: {
    pairs: 10,
    prePercentMean: 50,
    postPercentMean: 70,
    paired: { mean: 20, lower: 12.34, upper: 27.66 } as never,
    pairedNote: null,
    gain: null,
    suppressed: false,
  },
  survey: [],
  observations: [],
  ...over,
});

const overview = (modules: ModuleOverview[]) =>
  ({
    minimumGroupSize: 5,
    assigned: 10,
    withdrawn: 0,
    rules: { attemptPolicy: 'first', denominator: 'assigned' },
    modules,
    weekly: [],
    weeklySuppressed: false,
  }) as unknown as KpiOverview;

const card = (cards: ReturnType<typeof summaryCards>, id: string) => cards.find((c) => c.id === id)!;

describe('course report summary cards', () => {
  it('gives one module its gain with the interval, in points', () => {
    const cards = summaryCards(overview([module('A', {})]));
    assert.equal(card(cards, 'gain').value, '+20 points');
    assert.match(card(cards, 'gain').detail, /^95% interval \+12 points to \+28 points; 10 learners/);
    assert.equal(card(cards, 'time').value, '8 min');
    assert.deepEqual(card(cards, 'completion').lines, []);
  });

  it('pools completion over modules, names the withheld one and gives the range of median times', () => {
    const cards = summaryCards(
      overview([
        module('A', {}),
        module('B', {
          completion: shown(9, 10),
          time: { learners: 10, medianMinutes: 15, p90Minutes: 30, sessions: 10, estimatedSessions: 0 },
        }),
        module('C', { completion: { status: 'suppressed', minimum: 5 }, time: null, timeSuppressed: true }),
      ]),
    );
    assert.equal(card(cards, 'completion').value, '70%');
    assert.match(
      card(cards, 'completion').detail,
      /^14 of 20 module assignments completed\. 1 module withheld/,
    );
    assert.equal(card(cards, 'completion').lines[2], 'C: withheld');
    assert.equal(card(cards, 'time').value, '8–15 min');
  });

  it('says "no answers yet" rather than a number when nobody answered the survey', () => {
    const cards = summaryCards(overview([module('A', {})]));
    assert.equal(card(cards, 'nps').value, 'no answers yet');
    assert.equal(card(cards, 'reaction').value, 'no answers yet');
  });
});
