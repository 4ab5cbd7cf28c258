import assert from 'node:assert/strict';
import {
  randomize,
  stratumOf,
  RandomizationInputError,
  type RandomizationParticipant,
} from '../../../src/cohorts/randomization.js';

const people = (
  n: number,
  attrs: (i: number) => Record<string, unknown> = () => ({}),
): RandomizationParticipant[] =>
  Array.from({ length: n }, (_, i) => ({ id: `p${String(i).padStart(4, '0')}`, attributes: attrs(i) }));

const oneToOne = [
  { name: 'treatment', ratio: 1 },
  { name: 'control', ratio: 1 },
];

const count = (assignments: { arm: string }[], arm: string) =>
  assignments.filter((a) => a.arm === arm).length;

describe('randomization', () => {
  it('gives the same assignments for the same seed, whatever order participants arrive in', () => {
    const group = people(50, (i) => ({ site: i % 3 }));
    const design = {
      algorithm: 'permuted-blocks' as const,
      arms: oneToOne,
      seed: 2026,
      blockSizes: [2, 4],
      strata: ['site'],
    };
    const a = randomize(group, design).assignments;
    const b = randomize([...group].reverse(), design).assignments;
    const byId = (xs: typeof a) => Object.fromEntries(xs.map((x) => [x.participantId, x.arm]));
    assert.deepEqual(byId(a), byId(b));
  });

  it('gives different assignments for a different seed', () => {
    const design = {
      algorithm: 'permuted-blocks' as const,
      arms: oneToOne,
      seed: 1,
      blockSizes: [4],
      strata: [],
    };
    const a = randomize(people(40), design).assignments.map((x) => x.arm);
    const b = randomize(people(40), { ...design, seed: 2 }).assignments.map((x) => x.arm);
    assert.notDeepEqual(a, b);
  });

  it('keeps every stratum balanced to within half a block with permuted blocks', () => {
    const group = people(203, (i) => ({ department: ['Sales', 'Ops', 'HR'][i % 3], remote: i % 2 === 0 }));
    const { assignments } = randomize(group, {
      algorithm: 'permuted-blocks',
      arms: oneToOne,
      seed: 99,
      blockSizes: [2, 4, 6],
      strata: ['department', 'remote'],
    });
    assert.equal(assignments.length, 203);
    const strata = new Set(assignments.map((a) => a.stratum));
    assert.equal(strata.size, 6);
    for (const s of strata) {
      const inStratum = assignments.filter((a) => a.stratum === s);
      const diff = Math.abs(count(inStratum, 'treatment') - count(inStratum, 'control'));
      assert.ok(diff <= 3, `${s}: treatment and control differ by ${diff}`);
    }
  });

  it('honours unequal ratios exactly in every full block', () => {
    const { assignments } = randomize(people(90), {
      algorithm: 'permuted-blocks',
      arms: [
        { name: 'treatment', ratio: 2 },
        { name: 'control', ratio: 1 },
      ],
      seed: 5,
      blockSizes: [3],
      strata: [],
    });
    assert.equal(count(assignments, 'treatment'), 60);
    assert.equal(count(assignments, 'control'), 30);
    for (let b = 1; b <= 30; b++) {
      assert.equal(
        count(
          assignments.filter((a) => a.block === b),
          'control',
        ),
        1,
        `block ${b}`,
      );
    }
  });

  it('gives each participant an even chance under simple randomization across seeds', () => {
    let treated = 0;
    const runs = 2000;
    for (let seed = 0; seed < runs; seed++) {
      const { assignments } = randomize(people(3), { algorithm: 'simple', arms: oneToOne, seed });
      if (assignments[1]!.arm === 'treatment') treated++;
    }
    // Binomial(2000, 0.5): sd 22.4; 5 sd either side.
    assert.ok(Math.abs(treated - 1000) < 112, `participant treated in ${treated} of ${runs} runs`);
  });

  it('labels strata by attribute, marking missing values', () => {
    assert.equal(stratumOf({ site: 'Leeds' }, ['site', 'band']), 'site=Leeds|band=(missing)');
    assert.equal(stratumOf({ site: 'Leeds' }, []), 'all');
  });

  it('refuses designs it cannot carry out, listing every problem', () => {
    assert.throws(
      () =>
        randomize([...people(2), { id: 'p0000', attributes: {} }], {
          algorithm: 'permuted-blocks',
          arms: [
            { name: 'a', ratio: 1 },
            { name: 'b', ratio: 2 },
          ],
          seed: -1,
          blockSizes: [4],
          strata: [],
        }),
      (err: unknown) => {
        assert.ok(err instanceof RandomizationInputError);
        assert.match(err.message, /p0000 appears twice/);
        assert.match(err.message, /seed must be a whole number/);
        assert.match(err.message, /block size 4 must be a multiple of the ratio total 3/);
        return true;
      },
    );
    assert.throws(() => randomize([], { algorithm: 'simple', arms: oneToOne, seed: 1 }), /no participants/);
  });
});
