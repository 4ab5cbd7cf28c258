/**
 * The LRS's canonical Activity definition (xAPI Communication 2.5: "all available information about
 * an Activity from any Statements who target the same activityId"): later definitions add to and
 * overwrite earlier ones property by property; language maps and extensions merge key by key.
 */
import { isJsonObject, type JsonObject } from '../rules/index.js';

const MERGED_MAPS = new Set(['name', 'description', 'extensions']);

/** Merges `incoming` into `existing` (either may be undefined); returns a new object. */
export function mergeActivityDefinition(existing: JsonObject | undefined, incoming: JsonObject): JsonObject {
  const out: JsonObject = { ...(existing ?? {}) };
  for (const [key, value] of Object.entries(incoming)) {
    const before = out[key];
    const merged =
      MERGED_MAPS.has(key) && isJsonObject(before) && isJsonObject(value) ? { ...before, ...value } : value;
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
