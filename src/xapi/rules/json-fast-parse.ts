/**
 * The common case of lossless JSON parsing, at the speed of the built-in parser (issue #17 profile:
 * lossless-json's parser in JavaScript took 8.4 ms CPU per 100 capture statements, JSON.parse 1.4).
 *
 * JSON.parse loses two things lossless-json keeps: number source text (`1.0`, `1e2`,
 * 12345678901234567890123) and repeated keys (it keeps the last silently). One pass over the text,
 * outside strings, collects every number token in document order and counts the keys (each `:` is
 * one). The parsed value is then walked in document order and every number becomes a
 * `LosslessNumber` of its token. The walk follows document order only while every object's keys
 * keep insertion order, which V8 does except for array-index keys ("0", "17"), and only while no key
 * was dropped as a repeat; in either case, or when a token and its parsed number disagree, this
 * returns undefined and the caller parses with lossless-json, whose result and errors it would
 * have had anyway.
 */
import { LosslessNumber } from 'lossless-json';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Keys an object orders before its other keys (ECMAScript array indices). */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The value lossless-json's `parse(text)` gives, or undefined when this fast path cannot be sure
 * (invalid JSON, repeated keys, array-index keys): then parse with lossless-json.
 */
export function parseJsonFast(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const tokens: string[] = [];
  let keys = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // JSON.parse accepted the text, so every string is closed and its escapes are valid.
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === COLON) {
      keys++;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const start = i;
      while (i + 1 < n && isNumberChar(text.charCodeAt(i + 1))) i++;
      tokens.push(text.slice(start, i + 1));
    }
  }
  const state = { tokens, next: 0, keys: 0 };
  let converted: unknown;
  try {
    converted = convert(value, state);
  } catch {
    // Nesting deeper than the stack (JSON.parse itself is not recursive): lossless-json decides.
    return undefined;
  }
  if (converted === undefined || state.next !== tokens.length || state.keys !== keys) return undefined;
  return converted;
}

function isNumberChar(c: number): boolean {
  // Digits, '.', 'e', 'E', '+', '-': the characters a JSON number token is made of.
  return (c >= ZERO && c <= NINE) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}

interface WalkState {
  tokens: string[];
  next: number;
  keys: number;
}

/** `value` with its numbers as LosslessNumbers, in place; undefined where the walk cannot vouch for the order. */
function convert(value: unknown, state: WalkState): unknown {
  if (typeof value === 'number') {
    const token = state.tokens[state.next++];
    return token !== undefined && Number(token) === value ? new LosslessNumber(token) : undefined;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = convert(value[i], state);
      if (item === undefined) return undefined;
      value[i] = item;
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const first = key.charCodeAt(0);
    if (first >= ZERO && first <= NINE && ARRAY_INDEX.test(key)) return undefined;
    state.keys++;
    const item = convert(object[key], state);
    if (item === undefined) return undefined;
    if (item === object[key]) continue;
    // Assigning `__proto__` would set the prototype; JSON.parse made it an own property.
    if (key === '__proto__')
      Object.defineProperty(object, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else object[key] = item;
  }
  return object;
}
