import assert from 'node:assert/strict';
import { createMemoryFailureLimiter } from '../../../src/web/middleware/failure-limiter.js';

describe('failure limiter (exponential back-off)', () => {
  const policy = { lockAfterFailures: 3, baseLockMs: 1000, maxLockMs: 8000, forgetAfterMs: 60_000 };

  function limiter() {
    let now = 0;
    const l = createMemoryFailureLimiter({ key: policy, address: policy }, () => now);
    return { l, advance: (ms: number) => (now += ms) };
  }

  it('locks a subject at its third failure and doubles the lock with each further failure', async () => {
    const { l, advance } = limiter();
    await l.recordFailure(['key:a']);
    await l.recordFailure(['key:a']);
    assert.equal(await l.retryAfterSeconds(['key:a']), 0);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await l.recordFailure(['key:a']);
      waits.push(await l.retryAfterSeconds(['key:a']));
      advance(waits[i]! * 1000);
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 8]);
    assert.equal(await l.retryAfterSeconds(['key:b', 'address:x']), 0);
  });

  it('reports the longest wait of several subjects', async () => {
    const { l } = limiter();
    for (let i = 0; i < 4; i++) await l.recordFailure(['key:a', 'address:x']);
    await l.recordFailure(['address:x']);
    assert.equal(await l.retryAfterSeconds(['key:a', 'address:x']), 4);
  });

  it('forgets failures after a success and after a quiet while', async () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) await l.recordFailure(['key:a', 'key:b']);
    await l.recordSuccess('key:a');
    assert.equal(await l.retryAfterSeconds(['key:a']), 0);
    advance(61_001);
    await l.recordFailure(['key:b']);
    assert.equal(await l.retryAfterSeconds(['key:b']), 0);
  });
});
