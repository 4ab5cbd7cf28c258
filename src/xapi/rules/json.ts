/**
 * Lossless JSON for statements.
 *
 * xAPI Data 2.2 requires numbers to be kept with at least IEEE 754 single precision and statements to
 * come back with the same serialization of every immutable property, so statements are parsed with
 * lossless-json: numbers stay `LosslessNumber`s holding their exact source text, and serializing
 * writes that text back unchanged (12345678901234567890123 does not become 1.2345678901234568e22).
 * Strings keep every code point; NUL comes back as the escape `\u0000`, never as a raw NUL byte, so
 * the serialized text can be stored in a PostgreSQL `text` column.
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { parseJsonFast } from './json-fast-parse.js';
import type { JsonObject } from './types.js';

export { isLosslessNumber, LosslessNumber };

/** The outcome of parsing JSON text; `message` completes a sentence whose subject is the text. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses JSON text keeping numbers exact. Rejects invalid JSON and objects that repeat a key with a
 * different value (xAPI Data 2.2: a Statement uses each property no more than one time).
 */
export function parseJsonLossless(text: string): JsonParseResult {
  const fast = parseJsonFast(text);
  if (fast !== undefined) return { ok: true, value: fast };
  try {
    return { ok: true, value: parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/duplicate key/i.test(detail)) {
      return {
        ok: false,
        message: `repeats a property (${detail}); xAPI Data 2.2 allows each property once`,
      };
    }
    return { ok: false, message: `is not valid JSON (${detail})` };
  }
}

/**
 * Serializes a value parsed by {@link parseJsonLossless} (or any plain JSON value) without losing
 * number digits. Undefined properties are dropped, as JSON.stringify does.
 */
export function serializeJson(value: unknown): string {
  const fast = stringifyExactNumbers(value);
  if (fast !== undefined) return fast;
  const text = stringify(value);
  if (text === undefined) throw new TypeError('serializeJson: the value has no JSON form');
  return text;
}

/**
 * The built-in JSON.stringify (2.0 -> 1.2 ms CPU per 100 capture statements against lossless-json's
 * stringify, issue #17), when every
 * LosslessNumber's text is exactly what JavaScript writes for its value ("12", "0.5", not "1.0",
 * "1e2", "-0" or 17+ digit numbers); undefined otherwise. Everything else serializes alike: both
 * write strings, booleans, null and plain numbers with JSON.stringify.
 */
function stringifyExactNumbers(value: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (!isLosslessNumber(item)) return item;
    const number = Number(item.value);
    if (String(number) === item.value) return number;
    exact = false;
    return null;
  });
  return exact ? text : undefined;
}

/** True for a JSON object (not an array, not null, not a LosslessNumber). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** True for a JSON number in either representation. */
export function isJsonNumber(value: unknown): value is number | LosslessNumber {
  return (typeof value === 'number' && Number.isFinite(value)) || isLosslessNumber(value);
}

/** The numeric value of a JSON number as a double (approximate for very long numbers). */
export function numberValue(value: number | LosslessNumber): number {
  return typeof value === 'number' ? value : Number(value.value);
}

/**
 * Deep copy in which every LosslessNumber becomes a plain `number`. Used where only the shape and
 * approximate magnitude matter (validation); never for storage.
 */
/**
 * Sets an own enumerable property. Plain assignment is several times faster than defineProperty
 * in V8; only the key `__proto__` needs defineProperty (assignment would change the prototype).
 */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export function toPlainJson(value: unknown): unknown {
  if (isLosslessNumber(value)) return Number(value.value);
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (typeof value === 'object' && value !== null) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, key, toPlainJson(item));
    return out;
  }
  return value;
}

/**
 * A canonical text for a JSON number, equal for equal values whatever their spelling:
 * `1`, `1.0`, `10e-1` and `0.1E1` all give `1e0`; `-0` gives `0`. Exact for any number of digits.
 */
export function canonicalNumber(value: number | LosslessNumber): string {
  const text = typeof value === 'number' ? String(value) : value.value;
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign, intPart = '', fracPart = '', expPart] = match;
  let digits = intPart + fracPart;
  let exponent = BigInt(expPart ?? '0') + BigInt(intPart.length) - 1n;
  const leading = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leading);
  exponent -= BigInt(leading);
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  return `${sign}${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${exponent}`;
}

/** Deep copy of a JSON value (LosslessNumbers are shared; they are immutable). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]));
    return out as T;
  }
  return value;
}
