/**
 * xAPI 2.0 (IEEE 9274.1.1) context.contextAgents and context.contextGroups.
 *
 * contextAgents: an array of `{ "objectType": "contextAgent", "agent": Agent, "relevantTypes"?: [IRI, ...] }`.
 * contextGroups: an array of `{ "objectType": "contextGroup", "group": Group, "relevantTypes"?: [IRI, ...] }`.
 * relevantTypes, when present, is a non-empty array of IRIs. No other properties are allowed.
 * In 1.0.3 requests both properties are unknown and rejected by the base validator.
 */
import { isIri } from '../data-types/iri.js';
import { isJsonObject } from '../json.js';
import { formatPath, type PathSegment } from '../json-path.js';
import { describe, libraryRuleErrors } from '../library-validation.js';
import { statementParts } from '../statement-walk.js';
import type { RuleError } from '../types.js';

interface EntrySpec {
  property: 'contextAgents' | 'contextGroups';
  objectType: 'contextAgent' | 'contextGroup';
  memberKey: 'agent' | 'group';
}

const SPECS: EntrySpec[] = [
  { property: 'contextAgents', objectType: 'contextAgent', memberKey: 'agent' },
  { property: 'contextGroups', objectType: 'contextGroup', memberKey: 'group' },
];

/** Errors in contextAgents/contextGroups of the statement and its SubStatement (2.0 only). */
export function contextAgentErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const part of statementParts(statement, root)) {
    const context = part.node.context;
    if (!isJsonObject(context)) continue;
    for (const spec of SPECS) {
      const value = context[spec.property];
      if (value === undefined) continue;
      const path = [...part.path, 'context', spec.property];
      if (!Array.isArray(value)) {
        errors.push({
          path: formatPath(path),
          message: `must be an array of ${spec.objectType} objects, not ${describe(value)}`,
        });
        continue;
      }
      value.forEach((entry, index) => errors.push(...entryErrors(entry, [...path, index], spec)));
    }
  }
  return errors;
}

function entryErrors(entry: unknown, path: PathSegment[], spec: EntrySpec): RuleError[] {
  if (!isJsonObject(entry)) {
    return [
      { path: formatPath(path), message: `must be a ${spec.objectType} object, not ${describe(entry)}` },
    ];
  }
  const errors: RuleError[] = [];
  for (const key of Object.keys(entry)) {
    if (!['objectType', spec.memberKey, 'relevantTypes'].includes(key)) {
      errors.push({
        path: formatPath([...path, key]),
        message: `"${key}" is not allowed in a ${spec.objectType}; it may only have objectType, ${spec.memberKey} and relevantTypes`,
      });
    }
  }
  if (entry.objectType !== spec.objectType) {
    errors.push({
      path: formatPath([...path, 'objectType']),
      message: `must be "${spec.objectType}", not ${describe(entry.objectType)}`,
    });
  }
  const member = entry[spec.memberKey];
  if (member === undefined) {
    errors.push({
      path: formatPath([...path, spec.memberKey]),
      message: `is required: a ${spec.objectType} names its ${spec.memberKey === 'agent' ? 'Agent' : 'Group'}`,
    });
  } else {
    errors.push(...libraryRuleErrors(spec.memberKey, member, [...path, spec.memberKey]));
    if (spec.memberKey === 'agent' && isJsonObject(member) && member.objectType === 'Group') {
      errors.push({
        path: formatPath([...path, 'agent']),
        message: 'must be an Agent; put Groups in contextGroups',
      });
    }
  }
  const relevantTypes = entry.relevantTypes;
  if (relevantTypes !== undefined) {
    if (!Array.isArray(relevantTypes) || relevantTypes.length === 0) {
      errors.push({
        path: formatPath([...path, 'relevantTypes']),
        message: 'must be a non-empty array of IRIs; leave it out if there is no relevant type',
      });
    } else {
      relevantTypes.forEach((type, i) => {
        if (!isIri(type)) {
          errors.push({
            path: formatPath([...path, 'relevantTypes', i]),
            message: `${describe(type)} is not an IRI`,
          });
        }
      });
    }
  }
  return errors;
}
