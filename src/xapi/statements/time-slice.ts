/**
 * Long CPU work of one request (parsing, validating and preparing a batch of statements) is done in
 * slices of a few milliseconds, with the event loop free between them, so other requests (health
 * checks included) are answered while a large batch is processed.
 */

/** CPU time one slice may use before giving the event loop back, in milliseconds. */
export const SLICE_BUDGET_MS = 4;

/** Resolves on the next turn of the event loop, after pending I/O callbacks. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Calls `work(item, index)` for each item in order, yielding to the event loop whenever a slice has
 * used {@link SLICE_BUDGET_MS}. `work` returns false to stop early.
 */
export async function forEachSliced<T>(
  items: readonly T[],
  work: (item: T, index: number) => boolean | void,
): Promise<void> {
  let sliceStart = performance.now();
  for (let index = 0; index < items.length; index++) {
    if (work(items[index]!, index) === false) return;
    if (performance.now() - sliceStart >= SLICE_BUDGET_MS && index < items.length - 1) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
}
