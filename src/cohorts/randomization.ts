import { Xoshiro128StarStar } from '../reports/stats/prng.js';

/** One arm of a randomized design and its allocation ratio (1:1 is two arms of ratio 1). */
export interface Arm {
  name: string;
  ratio: number;
}

export interface RandomizationParticipant {
  id: string;
  /** Attribute values by name, for stratification. */
  attributes: Record<string, unknown>;
}

export type RandomizationDesign =
  | { algorithm: 'simple'; arms: Arm[]; seed: number }
  | {
      algorithm: 'permuted-blocks';
      arms: Arm[];
      seed: number;
      /** Block sizes to draw from at random for each block; each a multiple of the ratio total. */
      blockSizes: number[];
      /** Attribute names whose value combinations form the strata (empty: one stratum). */
      strata: string[];
    };

export interface Assignment {
  participantId: string;
  arm: string;
  /** "department=Sales|site=Leeds", or "all" when not stratified. */
  stratum: string;
  /** Block number within the stratum (permuted blocks), null for simple randomization. */
  block: number | null;
}

/** What is stored with a randomization so anyone can rerun it and get the same assignments. */
export interface RandomizationRecord {
  algorithm: RandomizationDesign['algorithm'];
  algorithmVersion: 1;
  generator: 'xoshiro128** seeded by SplitMix64';
  design: RandomizationDesign;
  participantOrder: 'sorted by participant id';
}

export class RandomizationInputError extends Error {}

const MISSING = '(missing)';

/**
 * Assigns participants to arms, reproducibly: the same participants, design and seed always give the
 * same assignments, whatever order the participants arrive in (they are sorted by id first).
 *
 * - `simple`: each participant independently, with probabilities proportional to the ratios.
 * - `permuted-blocks`: within each stratum, participants in a seeded random order fill blocks; each
 *   block holds every arm exactly in proportion to the ratios, in a shuffled order, and its size is
 *   drawn from `blockSizes` (varying sizes keep the next allocation unpredictable). Within a stratum the
 *   arm counts can differ from the ratio by at most one partial block.
 *
 * @throws RandomizationInputError for no participants, duplicate ids, bad ratios or block sizes.
 */
export function randomize(
  participants: readonly RandomizationParticipant[],
  design: RandomizationDesign,
): { assignments: Assignment[]; record: RandomizationRecord } {
  checkDesign(design, participants);
  const rng = Xoshiro128StarStar.fromSeed(design.seed);
  const sorted = [...participants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const assignments: Assignment[] = [];
  if (design.algorithm === 'simple') {
    const total = design.arms.reduce((s, a) => s + a.ratio, 0);
    for (const p of sorted) {
      let u = rng.nextFloat() * total;
      const arm = design.arms.find((a) => (u -= a.ratio) < 0) ?? design.arms[design.arms.length - 1]!;
      assignments.push({ participantId: p.id, arm: arm.name, stratum: 'all', block: null });
    }
  } else {
    const strata = groupByStratum(sorted, design.strata);
    const unit = design.arms.reduce((s, a) => s + a.ratio, 0);
    for (const [stratum, members] of strata) {
      const order = shuffle(members, rng);
      let block = 0;
      for (let i = 0; i < order.length;) {
        const size = design.blockSizes[rng.nextInt(design.blockSizes.length)]!;
        const slots = shuffle(
          design.arms.flatMap((a) => Array<string>((a.ratio * size) / unit).fill(a.name)),
          rng,
        );
        block++;
        for (const arm of slots) {
          if (i >= order.length) break;
          assignments.push({ participantId: order[i++]!.id, arm, stratum, block });
        }
      }
    }
  }
  return {
    assignments,
    record: {
      algorithm: design.algorithm,
      algorithmVersion: 1,
      generator: 'xoshiro128** seeded by SplitMix64',
      design,
      participantOrder: 'sorted by participant id',
    },
  };
}

/** The stratum label of a participant: attribute=value pairs in the order the design names them. */
export function stratumOf(attributes: Record<string, unknown>, keys: readonly string[]): string {
  if (keys.length === 0) return 'all';
  return keys
    .map((k) => {
      const v = attributes[k];
      return `${k}=${v === undefined || v === null || v === '' ? MISSING : String(v)}`;
    })
    .join('|');
}

function groupByStratum(
  participants: RandomizationParticipant[],
  keys: readonly string[],
): [string, RandomizationParticipant[]][] {
  const groups = new Map<string, RandomizationParticipant[]>();
  for (const p of participants) {
    const s = stratumOf(p.attributes, keys);
    const list = groups.get(s);
    if (list) list.push(p);
    else groups.set(s, [p]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function shuffle<T>(items: readonly T[], rng: Xoshiro128StarStar): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function checkDesign(design: RandomizationDesign, participants: readonly RandomizationParticipant[]): void {
  const problems: string[] = [];
  if (participants.length === 0) problems.push('there are no participants to randomize');
  const ids = new Set<string>();
  for (const p of participants) {
    if (ids.has(p.id)) problems.push(`participant ${p.id} appears twice`);
    ids.add(p.id);
  }
  if (design.arms.length < 2) problems.push('a randomized design needs at least two arms');
  const names = new Set(design.arms.map((a) => a.name));
  if (names.size !== design.arms.length) problems.push('arm names must be distinct');
  for (const a of design.arms) {
    if (!Number.isInteger(a.ratio) || a.ratio < 1)
      problems.push(`arm ${a.name}: the ratio must be a whole number of at least 1`);
  }
  if (!Number.isSafeInteger(design.seed) || design.seed < 0)
    problems.push('the seed must be a whole number of at least 0');
  if (design.algorithm === 'permuted-blocks') {
    const unit = design.arms.reduce((s, a) => s + a.ratio, 0);
    if (design.blockSizes.length === 0) problems.push('give at least one block size');
    for (const size of design.blockSizes) {
      if (!Number.isInteger(size) || size < unit || size % unit !== 0) {
        problems.push(`block size ${size} must be a multiple of the ratio total ${unit}`);
      }
    }
  }
  if (problems.length) throw new RandomizationInputError(`Cannot randomize: ${problems.join('; ')}.`);
}
