/** Every method `yardstick analyze` offers, in the order `--help` lists them. */
import type { AnalyzeMethod } from './method.js';
import { wilsonMethod } from './wilson-method.js';

export const ANALYZE_METHODS: readonly AnalyzeMethod<never, unknown>[] = [
  wilsonMethod,
] as unknown as readonly AnalyzeMethod<never, unknown>[];

/** The method with this id, or undefined. */
export function findMethod(id: string): AnalyzeMethod<never, unknown> | undefined {
  return ANALYZE_METHODS.find((m) => m.id === id);
}
