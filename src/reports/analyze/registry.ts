/** Every method `yardstick analyze` offers, in the order `--help` lists them. */
import { bootstrapRoiMethod } from './bootstrap-roi-method.js';
import { didMethod } from './did-method.js';
import type { AnalyzeMethod } from './method.js';
import { pairedMethod } from './paired-method.js';
import { powerMethod } from './power-method.js';
import { psmMethod } from './psm-method.js';
import { quantilesMethod } from './quantiles-method.js';
import { randomizedMethod } from './randomized-method.js';
import { roiMethod } from './roi-method.js';
import { trendMethod } from './trend-method.js';
import { wilsonMethod } from './wilson-method.js';

/** A method with its input type erased, for the registry and the command line. */
export type AnyAnalyzeMethod = AnalyzeMethod<never, unknown>;

export const ANALYZE_METHODS: readonly AnyAnalyzeMethod[] = [
  roiMethod,
  bootstrapRoiMethod,
  randomizedMethod,
  didMethod,
  psmMethod,
  trendMethod,
  powerMethod,
  wilsonMethod,
  quantilesMethod,
  pairedMethod,
] as unknown as readonly AnyAnalyzeMethod[];

/** The method with this id, or undefined. */
export function findMethod(id: string): AnyAnalyzeMethod | undefined {
  return ANALYZE_METHODS.find((m) => m.id === id);
}
