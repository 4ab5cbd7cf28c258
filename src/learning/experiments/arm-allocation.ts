import { createHash } from 'node:crypto';
import type { Arm } from '../model.js';

/**
 * The arm of one learner in one experiment: a pure function of the recorded seed, the experiment id
 * and the learner key, so anyone holding the experiment record can recompute and audit every
 * assignment. The first 48 bits of SHA-256(seed, experiment, learner) give u uniform on [0, 1); the
 * learner goes to arm A when u < allocationA (e.g. 0.5 for an even split).
 */
export function allocateArm(
  seed: number,
  experimentId: string,
  learnerKey: string,
  allocationA: number,
): Arm {
  return armDraw(seed, experimentId, learnerKey) < allocationA ? 'A' : 'B';
}

/** The uniform draw behind {@link allocateArm}, in [0, 1). */
export function armDraw(seed: number, experimentId: string, learnerKey: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${experimentId}\u0000${learnerKey}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
