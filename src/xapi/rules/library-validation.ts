/**
 * The base validator: Learning Locker's `xapi-validation` (rulr rules for every xAPI 1.0.x
 * statement property), with its warnings turned into path + message errors.
 *
 * Checks that xapi-validation gets wrong or too loose are switched off here and done by
 * `checks/` instead (see docs/xapi-rules.md): timestamps (it accepts dates without a time and
 * negative zero offsets), version (it rejects 2.0), UUIDs (it accepts braces), mbox_sha1sum (it
 * accepts 5 digits), language tags (it accepts repeated extensions) and durations (it mixes weeks
 * with other units).
 */
import type { Warning } from 'rulr';
import * as factory from 'xapi-validation/dist/factory.js';
import { rememberLibraryRequires } from './library-loading.js';
import { isJsonObject, toPlainJson } from './json.js';
import { formatPath, type PathSegment } from './json-path.js';
import { statementParts, valueAtPath } from './statement-walk.js';
import type { JsonObject, RuleError, XapiVersion } from './types.js';

/** xapi-validation type checks replaced by our own (its TypeWarning `typeName`s). */
const REPLACED_TYPES = new Set([
  'ISO Timestamp',
  'Version',
  'Universal Unique Identifier (UUID)',
  'Sha1',
  'Language',
  'ISO Duration',
]);

const TYPE_HINTS: Record<string, string> = {
  'Internationalized Resource Identifier (IRI)':
    'an absolute IRI with a scheme, e.g. "http://example.com/xapi/verbs/completed"',
  Mailto: 'a mailto IRI, e.g. "mailto:learner@example.com"',
  'Internet Media Type (IMT)':
    'an Internet media type, e.g. "application/pdf" or "text/plain; charset=utf-8"',
  'Interaction Type':
    'one of true-false, choice, fill-in, long-fill-in, matching, performance, sequencing, likert, numeric, other (lowercase)',
  Integer: 'a whole number',
  Scaled: 'a decimal number from -1 to 1 inclusive',
};

const ALL_OBJECT_TYPES = 'Activity, Agent, Group, SubStatement or StatementRef';

rememberLibraryRequires();

/**
 * Runs xapi-validation on a statement and returns its findings as RuleErrors, minus the replaced
 * checks. `statement` may hold LosslessNumbers; a plain copy is validated.
 */
export function libraryStatementErrors(statement: unknown, version: XapiVersion): RuleError[] {
  const copy = prepareCopy(statement, version);
  return translate(
    safeRun(() => factory.statement(copy, ['statement'])),
    { statement: copy },
    { statement },
  );
}

/** Runs one xapi-validation rule (e.g. `agent`, `group`) on a value at `path`. */
export function libraryRuleErrors(
  rule: 'agent' | 'group' | 'actor',
  value: unknown,
  path: PathSegment[],
): RuleError[] {
  const copy = toPlainJson(value);
  sanitizeObjectTypes(copy);
  const run = factory[rule];
  const root: JsonObject = {};
  setAtPath(root, path, copy);
  const originalRoot: JsonObject = {};
  setAtPath(originalRoot, path, value);
  return translate(
    safeRun(() => run(copy, path.map(String))),
    root,
    originalRoot,
  );
}

function safeRun(run: () => Warning[]): Warning[] {
  try {
    const result = run();
    return Array.isArray(result) ? result : [];
  } catch {
    return [];
  }
}

/**
 * The copy given to xapi-validation: numbers plain, xAPI 2.0 context properties removed (checked
 * by checks/context-agents), single context activities wrapped in arrays (xAPI Data 2.4.6.2 allows
 * a single Activity; xapi-validation wants an array), and objectType values that name
 * Object.prototype members ("constructor") neutralised, because xapi-validation looks objectType
 * up in a plain object.
 */
function prepareCopy(statement: unknown, version: XapiVersion): unknown {
  // toPlainJson copies every object and array, so the copy can be changed freely.
  const copy = toPlainJson(statement);
  for (const part of statementParts(copy)) {
    const context = part.node.context;
    if (!isJsonObject(context)) continue;
    if (version === '2.0.0') {
      delete context.contextAgents;
      delete context.contextGroups;
    }
    const contextActivities = context.contextActivities;
    if (isJsonObject(contextActivities)) {
      for (const [key, value] of Object.entries(contextActivities)) {
        if (isJsonObject(value)) contextActivities[key] = [value];
      }
    }
  }
  sanitizeObjectTypes(copy);
  return copy;
}

function sanitizeObjectTypes(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(sanitizeObjectTypes);
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'extensions') continue;
      if (key === 'objectType' && typeof item === 'string' && item in Object.prototype) {
        value.objectType = '(not a valid objectType)';
      } else {
        sanitizeObjectTypes(item);
      }
    }
  }
}

function setAtPath(root: JsonObject, path: PathSegment[], value: unknown): void {
  let current: JsonObject = root;
  path.forEach((segment, index) => {
    const key = String(segment);
    if (index === path.length - 1) current[key] = value;
    else current = (current[key] ??= {}) as JsonObject;
  });
}

function translate(warnings: Warning[], copyRoot: JsonObject, originalRoot: JsonObject): RuleError[] {
  const errors: RuleError[] = [];
  for (const warning of warnings) {
    const name = warning.constructor.name;
    const w = warning as Warning & Record<string, unknown>;
    const path = warning.path;
    const at = formatPath(path);
    const original = valueAtPath(originalRoot, path);
    switch (name) {
      case 'Warnings':
        errors.push(...translate((w.warnings as Warning[]) ?? [], copyRoot, originalRoot));
        break;
      case 'RequiredWarning':
        errors.push({ path: at, message: `${lastName(path)} is required here but missing; add it` });
        break;
      case 'RestrictedKeysWarning':
        for (const key of (w.keys as string[]) ?? []) {
          errors.push({ path: formatPath([...path, key]), message: unknownKeyMessage(key, path, copyRoot) });
        }
        break;
      case 'TypeWarning':
        if (typeof w.typeName === 'string') {
          if (REPLACED_TYPES.has(w.typeName)) break;
          errors.push({
            path: at,
            message: `${describe(original)} is not ${TYPE_HINTS[w.typeName] ?? w.typeName}`,
          });
        } else {
          errors.push({ path: at, message: typeMessage(original, (w.type as { name?: string })?.name) });
        }
        break;
      case 'RestrictedValueWarning':
        errors.push({
          path: at,
          message: `must be "${String(w.requiredValue)}" here, not ${describe(original)}`,
        });
        break;
      case 'ObjectTypeWarning': {
        const allowed = lastName(path) === 'object' ? ALL_OBJECT_TYPES : 'Agent or Group';
        const given = valueAtPath(originalRoot, [...path, 'objectType']);
        errors.push({
          path: formatPath([...path, 'objectType']),
          message: `${describe(given)} is not an objectType allowed here; use ${allowed} (exact case)`,
        });
        break;
      }
      case 'IfiCountWarning':
        errors.push({
          path: at,
          message: `has ${(w.usedIfis as string[]).length} identifiers (${(w.usedIfis as string[]).join(', ')}); an Agent or identified Group must have exactly one of mbox, mbox_sha1sum, openid, account (xAPI Data 2.4.2.1, 2.4.2.2)`,
        });
        break;
      case 'NoIfiWarning':
        errors.push({
          path: at,
          message:
            'has no identifier; an Agent needs exactly one of mbox, mbox_sha1sum, openid, account (xAPI Data 2.4.2.1)',
        });
        break;
      case 'NoMembersWarning':
        errors.push({
          path: at,
          message:
            'is a Group with no identifier and no members; an anonymous Group must list its Agents in "member", an identified Group needs one identifier (xAPI Data 2.4.2.2)',
        });
        break;
      case 'MembersTypeWarning':
        errors.push({
          path: at,
          message:
            'is a Group authority that does not have exactly two members; a Group authority (3-legged OAuth) is an anonymous Group of two Agents, the application and the user (xAPI Data 2.4.9)',
        });
        break;
      case 'MembersLengthWarning':
        errors.push({
          path: at,
          message: 'the members of a Group authority must be Agents (xAPI Data 2.4.9)',
        });
        break;
      case 'InvalidComponentsWarning': {
        const interactionType = valueAtPath(originalRoot, [...path, 'interactionType']);
        errors.push({
          path: at,
          message: `${(w.invalidComponents as string[]).join(', ')} cannot be used ${
            interactionType === undefined
              ? 'without an interactionType'
              : `with interactionType "${String(interactionType)}"`
          }; choices go with choice and sequencing, scale with likert, source and target with matching, steps with performance (xAPI Data 2.4.4.1 Interaction Components)`,
        });
        break;
      }
      case 'MissingInteractionTypeWarning':
        errors.push({
          path: at,
          message:
            'has correctResponsesPattern but no interactionType; an interaction Activity must have a valid interactionType (xAPI Data 2.4.4.1)',
        });
        break;
      case 'MinMoreThanMaxWarning':
        errors.push({
          path: at,
          message: `min (${String(w.min)}) must be less than max (${String(w.max)}) (xAPI Data 2.4.5.1)`,
        });
        break;
      case 'RawLessThanMinWarning':
        errors.push({
          path: at,
          message: `raw (${String(w.raw)}) is below min (${String(w.min)}); raw must lie between min and max (xAPI Data 2.4.5.1)`,
        });
        break;
      case 'RawMoreThanMaxWarning':
        errors.push({
          path: at,
          message: `raw (${String(w.raw)}) is above max (${String(w.max)}); raw must lie between min and max (xAPI Data 2.4.5.1)`,
        });
        break;
      case 'ContextPropWarning':
        errors.push({
          path: formatPath([...path, 'context']),
          message:
            'context.revision and context.platform may only be used when the object is an Activity (xAPI Data 2.4.6); remove them',
        });
        break;
      case 'VoidWarning':
        errors.push({
          path: formatPath([...path, 'object']),
          message:
            'a voiding statement (verb http://adlnet.gov/expapi/verbs/voided) must have a StatementRef object naming the statement to void (xAPI Data 2.3.2)',
        });
        break;
      case 'SubStatementWarning':
        errors.push({
          path: formatPath([...path, 'object']),
          message: 'a SubStatement cannot contain another SubStatement (xAPI Data 2.4.4.3)',
        });
        break;
      case 'SignedContentTypeWarning':
        errors.push({
          path: formatPath([...path, 'contentType']),
          message: `a signature attachment must have contentType "application/octet-stream", not ${describe(w.contentType)} (xAPI Data 2.6)`,
        });
        break;
      default:
        errors.push({ path: at, message: `is not valid (${name})` });
    }
  }
  return errors;
}

const SUBSTATEMENT_FORBIDDEN = new Set(['id', 'stored', 'version', 'authority']);

/** Every property name the xAPI statement model defines, to spot case mistakes ("Actor"). */
const KNOWN_KEYS = [
  'id',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'stored',
  'authority',
  'version',
  'attachments',
  'objectType',
  'name',
  'mbox',
  'mbox_sha1sum',
  'openid',
  'account',
  'homePage',
  'member',
  'display',
  'definition',
  'description',
  'type',
  'moreInfo',
  'extensions',
  'interactionType',
  'correctResponsesPattern',
  'choices',
  'scale',
  'source',
  'target',
  'steps',
  'score',
  'success',
  'completion',
  'response',
  'duration',
  'scaled',
  'raw',
  'min',
  'max',
  'registration',
  'instructor',
  'team',
  'contextActivities',
  'contextAgents',
  'contextGroups',
  'revision',
  'platform',
  'language',
  'statement',
  'parent',
  'grouping',
  'category',
  'other',
  'usageType',
  'contentType',
  'length',
  'sha2',
  'fileUrl',
  'agent',
  'group',
  'relevantTypes',
];

function unknownKeyMessage(key: string, path: string[], copyRoot: JsonObject): string {
  const owner = valueAtPath(copyRoot, path);
  if (isJsonObject(owner) && owner.objectType === 'SubStatement' && SUBSTATEMENT_FORBIDDEN.has(key)) {
    return `a SubStatement must not have "${key}" (xAPI Data 2.4.4.3: no id, stored, version or authority); remove it`;
  }
  if (key === 'contextAgents' || key === 'contextGroups') {
    return `"${key}" is an xAPI 2.0 property; send the request with X-Experience-API-Version 2.0.0 or remove it`;
  }
  const sameName = KNOWN_KEYS.find((known) => known !== key && known.toLowerCase() === key.toLowerCase());
  if (sameName) return `property names are case-sensitive; write "${sameName}", not "${key}" (xAPI Data 2.2)`;
  if (path[path.length - 1] === 'contextActivities') {
    return `"${key}" is not a context activity type; use parent, grouping, category or other (xAPI Data 2.4.6.2)`;
  }
  return `"${key}" is not a property xAPI allows here; remove it (xAPI Data 2.2 rejects additional properties)`;
}

function typeMessage(value: unknown, typeName: string | undefined): string {
  if (value === null) {
    return 'is null; xAPI does not allow null outside extensions, so leave the property out instead (xAPI Data 2.2)';
  }
  const wanted =
    typeName === 'Object'
      ? 'a JSON object'
      : typeName === 'Array'
        ? 'an array'
        : typeName === 'Number'
          ? 'a number'
          : typeName === 'Boolean'
            ? 'true or false'
            : typeName === 'String'
              ? 'a string'
              : `of type ${typeName}`;
  return `must be ${wanted}, not ${describe(value)}`;
}

/** A short description of a JSON value for messages: `the string "abc"`, `the number 5`, `an array`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 80 ? value.slice(0, 77) + '...' : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null && 'isLosslessNumber' in value)
    return `the number ${String(value)}`;
  return 'an object';
}

function lastName(path: readonly string[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i]!;
    if (!/^\d+$/.test(segment)) return segment;
  }
  return 'statement';
}
