import assert from 'node:assert/strict';
import { allocateArm, armDraw } from '../../../../src/learning/experiments/arm-allocation.js';

describe('experiment arm allocation', () => {
  const experiment = '7d1f9a52-3c1e-4a8e-9f51-0c7b3a2e6d10';

  it('gives the same arm for the same seed, experiment and learner', () => {
    assert.equal(allocateArm(42, experiment, 'user-1', 0.5), allocateArm(42, experiment, 'user-1', 0.5));
  });

  it('depends on the seed and on the experiment', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const arms = (seed: number, id: string) => keys.map((k) => allocateArm(seed, id, k, 0.5)).join('');
    assert.notEqual(arms(1, experiment), arms(2, experiment));
    assert.notEqual(arms(1, experiment), arms(1, experiment.replace('7d1f', '8d1f')));
  });

  it('sends about the allocated share of learners to arm A', () => {
    for (const share of [0.5, 0.3]) {
      const n = 20000;
      let a = 0;
      for (let i = 0; i < n; i++) if (allocateArm(7, experiment, `learner-${i}`, share) === 'A') a++;
      // Binomial sd at n = 20000 is at most 0.0036: 0.015 is more than 4 sd.
      assert.ok(Math.abs(a / n - share) < 0.015, `share ${share}: got ${a / n}`);
    }
  });

  it('draws uniformly in [0, 1)', () => {
    const draws = Array.from({ length: 1000 }, (_, i) => armDraw(3, experiment, String(i)));
    assert.ok(draws.every((u) => u >= 0 && u < 1));
  });
});
