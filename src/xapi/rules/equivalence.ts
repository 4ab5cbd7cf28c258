/**
 * "Same statement" comparison (xAPI Data 2.3.1 Statement Immutability and its Statement Comparison
 * Requirements), used to answer a re-sent statement id with 204/200 (same) or 409 Conflict
 * (different), and to check that a signed statement matches its JWS payload (xAPI Data 2.6).
 *
 * "Differences which could have been caused by exceptions to Statement immutability MUST be
 * ignored." Ignored here:
 * - `stored` and `authority` (set or overwritten by the LRS);
 * - `id`, `timestamp` and `version` when only one side has them (the LRS assigns them);
 * - Activity definitions and Verb displays (not part of the statement itself);
 * - attachments (not part of statements);
 * - the serialization of timestamps: compared as instants (`...T10:00:00+01:00` equals `...T09:00:00Z`);
 * - the order of Group members (an unordered list);
 * - case where the value is case-insensitive: UUIDs, the domain and `mailto:` of an mbox,
 *   mbox_sha1sum, context.language;
 * - a single context Activity versus an array holding it (the LRS returns arrays);
 * - an omitted objectType versus its default (`Agent` for actors, `Activity` for objects);
 * - number spelling: `1`, `1.0` and `1e0` are the same number (compared exactly, any digits).
 * Everything else must match; result.duration is compared to 0.01 s (Data 4.6).
 */
import { parseTimestamp } from './data-types/timestamp.js';
import { normalizeMbox } from './data-types/mbox.js';
import { canonicalNumber, isJsonNumber, isJsonObject } from './json.js';
import { formatPath, type PathSegment } from './json-path.js';
import { CONTEXT_ACTIVITY_KEYS, contextActivityList } from './statement-walk.js';
import type { JsonObject, RuleError } from './types.js';

export type EquivalenceResult = { equivalent: true } | { equivalent: false; differences: RuleError[] };

export interface CompareOptions {
  /** How messages name the two statements; default "the stored statement", "the received statement". */
  labels?: [string, string];
  /** Path prefix in messages; default `statement`. */
  root?: PathSegment[];
}

/** A number in comparable form. */
class ComparableNumber {
  constructor(readonly canonical: string) {}
}

/**
 * Compares two statements under the immutability rules above. Returns every difference found
 * (path + message naming both values).
 */
export function compareStatements(
  first: unknown,
  second: unknown,
  options: CompareOptions = {},
): EquivalenceResult {
  const [labelA, labelB] = options.labels ?? ['the stored statement', 'the received statement'];
  const root = options.root ?? ['statement'];
  if (!isJsonObject(first) || !isJsonObject(second)) {
    return {
      equivalent: false,
      differences: [{ path: formatPath(root), message: 'both statements must be JSON objects' }],
    };
  }
  const a = normalizeStatement(first);
  const b = normalizeStatement(second);
  for (const key of ['id', 'timestamp', 'version']) {
    if (a[key] === undefined || b[key] === undefined) {
      delete a[key];
      delete b[key];
    }
  }
  const differences: RuleError[] = [];
  diff(a, b, root, differences, labelA, labelB);
  return differences.length === 0 ? { equivalent: true } : { equivalent: false, differences };
}

/** True when the two statements are the same statement (see {@link compareStatements}). */
export function areStatementsEquivalent(first: unknown, second: unknown): boolean {
  return compareStatements(first, second).equivalent;
}

function normalizeStatement(s: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(s)) {
    switch (key) {
      case 'stored':
      case 'authority':
      case 'attachments':
        break;
      case 'id':
        out.id = typeof value === 'string' ? value.toLowerCase() : normalizeValue(value);
        break;
      case 'timestamp':
        out.timestamp = normalizeTimestamp(value);
        break;
      case 'actor':
        out.actor = normalizeActor(value, 'Agent');
        break;
      case 'verb':
        out.verb = isJsonObject(value) ? { id: value.id } : normalizeValue(value);
        break;
      case 'object':
        out.object = normalizeObject(value);
        break;
      case 'context':
        out.context = normalizeContext(value);
        break;
      case 'result':
        out.result = normalizeResult(value);
        break;
      default:
        out[key] = normalizeValue(value);
    }
  }
  return out;
}

/**
 * result.duration compared to 0.01 s (Data 4.6: "any precision beyond 0.01 second precision
 * SHOULD* NOT be included in the comparison"; the 2.0 conformance suite checks it on signatures):
 * the seconds' fraction is truncated to two digits and trailing zeros dropped.
 */
function normalizeResult(value: unknown): unknown {
  if (!isJsonObject(value)) return normalizeValue(value);
  const out = normalizeValue(value) as JsonObject;
  if (typeof value.duration === 'string') out.duration = truncateDuration(value.duration);
  return out;
}

/** `PT1.2399S` -> `PT1.23S`, `PT1.10S` -> `PT1.1S`, `PT1.00S` -> `PT1S`; other values unchanged. */
export function truncateDuration(duration: string): string {
  return duration.replace(/(\d+)[.,](\d+)S$/, (_m, whole: string, fraction: string) => {
    const kept = fraction.slice(0, 2).replace(/0+$/, '');
    return kept ? `${whole}.${kept}S` : `${whole}S`;
  });
}

function normalizeTimestamp(value: unknown): unknown {
  const parsed = parseTimestamp(value, '1.0.3');
  return parsed.ok ? parsed.instant : value;
}

function normalizeActor(value: unknown, defaultType: 'Agent' | 'Group'): unknown {
  if (!isJsonObject(value)) return normalizeValue(value);
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'mbox' && typeof item === 'string') out.mbox = normalizeMbox(item);
    else if (key === 'mbox_sha1sum' && typeof item === 'string') out.mbox_sha1sum = item.toLowerCase();
    else if (key === 'member' && Array.isArray(item)) {
      const members = item.map((m) => normalizeActor(m, 'Agent'));
      out.member = members
        .map((member) => ({ member, key: sortKey(member) }))
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
        .map(({ member }) => member);
    } else out[key] = normalizeValue(item);
  }
  out.objectType ??= defaultType;
  return out;
}

function normalizeObject(value: unknown): unknown {
  if (!isJsonObject(value)) return normalizeValue(value);
  switch (value.objectType) {
    case undefined:
    case 'Activity':
      return { objectType: 'Activity', id: value.id };
    case 'Agent':
    case 'Group':
      return normalizeActor(value, value.objectType);
    case 'StatementRef':
      return {
        objectType: 'StatementRef',
        id: typeof value.id === 'string' ? value.id.toLowerCase() : value.id,
      };
    case 'SubStatement':
      return normalizeStatement(value);
    default:
      return normalizeValue(value);
  }
}

function normalizeContext(value: unknown): unknown {
  if (!isJsonObject(value)) return normalizeValue(value);
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'registration' && typeof item === 'string') out.registration = item.toLowerCase();
    else if (key === 'language' && typeof item === 'string') out.language = item.toLowerCase();
    else if (key === 'instructor') out.instructor = normalizeActor(item, 'Agent');
    else if (key === 'team') out.team = normalizeActor(item, 'Group');
    else if (key === 'statement' && isJsonObject(item))
      out.statement = normalizeObject({ ...item, objectType: 'StatementRef' });
    else if (key === 'contextActivities' && isJsonObject(item)) {
      const activities: JsonObject = {};
      for (const type of CONTEXT_ACTIVITY_KEYS) {
        if (item[type] === undefined) continue;
        activities[type] = contextActivityList(item[type]).map((activity) =>
          isJsonObject(activity) ? { objectType: 'Activity', id: activity.id } : normalizeValue(activity),
        );
      }
      out.contextActivities = activities;
    } else if ((key === 'contextAgents' || key === 'contextGroups') && Array.isArray(item)) {
      out[key] = item.map((entry) => {
        if (!isJsonObject(entry)) return normalizeValue(entry);
        const normalized: JsonObject = {};
        for (const [k, v] of Object.entries(entry)) {
          normalized[k] =
            k === 'agent'
              ? normalizeActor(v, 'Agent')
              : k === 'group'
                ? normalizeActor(v, 'Group')
                : normalizeValue(v);
        }
        return normalized;
      });
    } else out[key] = normalizeValue(item);
  }
  return out;
}

function normalizeValue(value: unknown): unknown {
  if (isJsonNumber(value)) return new ComparableNumber(canonicalNumber(value));
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: normalizeValue(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function sortKey(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof ComparableNumber ? `#${item.canonical}` : item,
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value instanceof ComparableNumber) return value.canonical;
  const text = sortKey(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

function diff(
  a: unknown,
  b: unknown,
  path: PathSegment[],
  out: RuleError[],
  labelA: string,
  labelB: string,
): void {
  if (a instanceof ComparableNumber && b instanceof ComparableNumber) {
    if (a.canonical !== b.canonical) out.push(difference(path, a, b, labelA, labelB));
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({
        path: formatPath(path),
        message: `has ${a.length} entries in ${labelA} but ${b.length} in ${labelB}`,
      });
      return;
    }
    a.forEach((item, index) => diff(item, b[index], [...path, index], out, labelA, labelB));
    return;
  }
  if (
    isJsonObject(a) &&
    isJsonObject(b) &&
    !(a instanceof ComparableNumber) &&
    !(b instanceof ComparableNumber)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const hasA = Object.prototype.hasOwnProperty.call(a, key);
      const hasB = Object.prototype.hasOwnProperty.call(b, key);
      diff(hasA ? a[key] : undefined, hasB ? b[key] : undefined, [...path, key], out, labelA, labelB);
    }
    return;
  }
  if (a !== b) out.push(difference(path, a, b, labelA, labelB));
}

function difference(path: PathSegment[], a: unknown, b: unknown, labelA: string, labelB: string): RuleError {
  return { path: formatPath(path), message: `is ${show(a)} in ${labelA} but ${show(b)} in ${labelB}` };
}
