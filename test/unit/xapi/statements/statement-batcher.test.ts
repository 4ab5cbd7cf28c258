import assert from 'node:assert/strict';
import {
  createStatementBatcher,
  type GroupOutcome,
} from '../../../../src/xapi/statements/statement-batcher.js';

/** A commit function whose calls wait until the test ends them, recording each group. */
function heldCommits() {
  const groups: string[][] = [];
  const ends: (() => void)[] = [];
  const commit = (items: string[]): Promise<GroupOutcome<string>[]> => {
    groups.push(items);
    return new Promise((resolve) =>
      ends.push(() =>
        resolve(
          items.map((item) =>
            item.startsWith('bad')
              ? { ok: false, error: new Error(item) }
              : { ok: true, value: item.toUpperCase() },
          ),
        ),
      ),
    );
  };
  return { groups, ends, commit };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('statement batcher (group commit)', () => {
  it('commits the first request of an idle period at once and groups those that arrive meanwhile', async () => {
    const held = heldCommits();
    const batcher = createStatementBatcher({ commit: held.commit, maxStatements: 100, maxInFlight: 1 });
    const first = batcher.submit('a', 1);
    assert.deepEqual(held.groups, [['a']]);
    const rest = ['b', 'c', 'd'].map((x) => batcher.submit(x, 1));
    assert.deepEqual(batcher.state(), { queued: 3, committing: 1 });
    held.ends[0]!();
    assert.equal(await first, 'A');
    await tick();
    assert.deepEqual(held.groups, [['a'], ['b', 'c', 'd']]);
    held.ends[1]!();
    assert.deepEqual(await Promise.all(rest), ['B', 'C', 'D']);
    assert.deepEqual(batcher.state(), { queued: 0, committing: 0 });
  });

  it('fails only the request whose outcome is an error', async () => {
    const held = heldCommits();
    const batcher = createStatementBatcher({ commit: held.commit, maxStatements: 100, maxInFlight: 1 });
    const blocker = batcher.submit('x', 1);
    const [good, bad] = [batcher.submit('good', 1), batcher.submit('bad one', 1)];
    held.ends[0]!();
    await blocker;
    await tick();
    held.ends[1]!();
    assert.equal(await good, 'GOOD');
    await assert.rejects(bad, /bad one/);
  });

  it('keeps a group within maxStatements and runs up to maxInFlight groups at once', async () => {
    const held = heldCommits();
    const batcher = createStatementBatcher({ commit: held.commit, maxStatements: 10, maxInFlight: 2 });
    void batcher.submit('a', 1);
    void batcher.submit('b', 1);
    assert.deepEqual(held.groups, [['a'], ['b']]);
    for (const x of ['c', 'd', 'e']) void batcher.submit(x, 4);
    held.ends[0]!();
    await tick();
    held.ends[1]!();
    await tick();
    assert.deepEqual(held.groups, [['a'], ['b'], ['c', 'd'], ['e']]);
    held.ends[2]!();
    held.ends[3]!();
  });

  it('fails every request of a group whose commit rejects', async () => {
    const batcher = createStatementBatcher<string, string>({
      commit: () => Promise.reject(new Error('connection lost')),
      maxStatements: 10,
      maxInFlight: 1,
    });
    await assert.rejects(batcher.submit('a', 1), /connection lost/);
  });
});
