/**
 * Finding the Agents, Groups and Activities inside a statement, with where they sit.
 *
 * Used by the extra validation checks (which must cope with any JSON, valid or not), by `prepare`
 * (query keys) and by `format`. Every function here tolerates malformed input and skips what it
 * cannot interpret.
 */
import { isJsonObject } from './json.js';
import type { PathSegment } from './json-path.js';
import type { JsonObject } from './types.js';

/** Where an Agent or Group appears (xAPI Communication 2.1.3 `related_agents`). */
export type AgentUsage =
  | 'actor'
  | 'object'
  | 'authority'
  | 'context_instructor'
  | 'context_team'
  | 'context_agent'
  | 'context_group'
  | 'sub_actor'
  | 'sub_object'
  | 'sub_instructor'
  | 'sub_team'
  | 'sub_context_agent'
  | 'sub_context_group';

/** Where an Activity appears (xAPI Communication 2.1.3 `related_activities`). */
export type ActivityUsage =
  | 'object'
  | 'parent'
  | 'grouping'
  | 'category'
  | 'other'
  | 'sub_object'
  | 'sub_parent'
  | 'sub_grouping'
  | 'sub_category'
  | 'sub_other';

/** The four contextActivities keys (xAPI Data 2.4.6.2). */
export const CONTEXT_ACTIVITY_KEYS = ['parent', 'grouping', 'category', 'other'] as const;

export interface AgentOccurrence {
  node: JsonObject;
  path: PathSegment[];
  usage: AgentUsage;
  kind: 'Agent' | 'Group';
  /** True for an entry of a Group's `member` list (the Group itself is reported too). */
  member: boolean;
}

export interface ActivityOccurrence {
  node: JsonObject;
  path: PathSegment[];
  usage: ActivityUsage;
}

/** A statement or SubStatement found in a statement: the top level, and its SubStatement object. */
export interface StatementPart {
  node: JsonObject;
  path: PathSegment[];
  sub: boolean;
}

/** The statement itself and, if its object is a SubStatement, that SubStatement. */
export function statementParts(statement: unknown, root: PathSegment[] = ['statement']): StatementPart[] {
  if (!isJsonObject(statement)) return [];
  const parts: StatementPart[] = [{ node: statement, path: root, sub: false }];
  const object = statement.object;
  if (isJsonObject(object) && object.objectType === 'SubStatement') {
    parts.push({ node: object, path: [...root, 'object'], sub: true });
  }
  return parts;
}

/** The objectType an actor-like value has, applying the default `Agent`. */
export function actorKind(node: JsonObject): 'Agent' | 'Group' | undefined {
  if (node.objectType === undefined || node.objectType === 'Agent') return 'Agent';
  if (node.objectType === 'Group') return 'Group';
  return undefined;
}

/**
 * Every Agent and Group in the statement (SubStatement included), with the members of each Group
 * listed after it. Authority is reported with usage `authority`.
 */
export function collectAgents(statement: unknown, root: PathSegment[] = ['statement']): AgentOccurrence[] {
  const found: AgentOccurrence[] = [];
  const add = (value: unknown, path: PathSegment[], usage: AgentUsage): void => {
    if (!isJsonObject(value)) return;
    const kind = actorKind(value);
    if (kind === undefined) return;
    found.push({ node: value, path, usage, kind, member: false });
    if (kind === 'Group' && Array.isArray(value.member)) {
      value.member.forEach((member, index) => {
        if (!isJsonObject(member)) return;
        const memberKind = actorKind(member);
        if (memberKind === undefined) return;
        found.push({ node: member, path: [...path, 'member', index], usage, kind: memberKind, member: true });
      });
    }
  };
  for (const part of statementParts(statement, root)) {
    const s = part.node;
    const p = part.path;
    const prefix = part.sub ? 'sub_' : '';
    add(s.actor, [...p, 'actor'], part.sub ? 'sub_actor' : 'actor');
    if (isJsonObject(s.object) && (s.object.objectType === 'Agent' || s.object.objectType === 'Group')) {
      add(s.object, [...p, 'object'], part.sub ? 'sub_object' : 'object');
    }
    if (!part.sub) add(s.authority, [...p, 'authority'], 'authority');
    const context = s.context;
    if (!isJsonObject(context)) continue;
    add(
      context.instructor,
      [...p, 'context', 'instructor'],
      part.sub ? 'sub_instructor' : 'context_instructor',
    );
    add(context.team, [...p, 'context', 'team'], part.sub ? 'sub_team' : 'context_team');
    if (Array.isArray(context.contextAgents)) {
      context.contextAgents.forEach((entry, index) => {
        if (isJsonObject(entry)) {
          add(
            entry.agent,
            [...p, 'context', 'contextAgents', index, 'agent'],
            `${prefix}context_agent` as AgentUsage,
          );
        }
      });
    }
    if (Array.isArray(context.contextGroups)) {
      context.contextGroups.forEach((entry, index) => {
        if (isJsonObject(entry)) {
          add(
            entry.group,
            [...p, 'context', 'contextGroups', index, 'group'],
            `${prefix}context_group` as AgentUsage,
          );
        }
      });
    }
  }
  return found;
}

/**
 * The Activities of a contextActivities value, which may be one Activity object or an array
 * (xAPI Data 2.4.6.2: "either a single Activity Object or an array of Activity Objects").
 */
export function contextActivityList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined ? [] : [value];
}

/** Every Activity in the statement: the object (if an Activity) and all context activities. */
export function collectActivities(
  statement: unknown,
  root: PathSegment[] = ['statement'],
): ActivityOccurrence[] {
  const found: ActivityOccurrence[] = [];
  for (const part of statementParts(statement, root)) {
    const s = part.node;
    const prefix = part.sub ? 'sub_' : '';
    if (isJsonObject(s.object) && (s.object.objectType === undefined || s.object.objectType === 'Activity')) {
      found.push({
        node: s.object,
        path: [...part.path, 'object'],
        usage: `${prefix}object` as ActivityUsage,
      });
    }
    const contextActivities = isJsonObject(s.context) ? s.context.contextActivities : undefined;
    if (!isJsonObject(contextActivities)) continue;
    for (const key of CONTEXT_ACTIVITY_KEYS) {
      const value = contextActivities[key];
      const isArray = Array.isArray(value);
      contextActivityList(value).forEach((activity, index) => {
        if (!isJsonObject(activity)) return;
        const path = [...part.path, 'context', 'contextActivities', key, ...(isArray ? [index] : [])];
        found.push({ node: activity, path, usage: `${prefix}${key}` as ActivityUsage });
      });
    }
  }
  return found;
}

/** Reads the value at a path (undefined when any step is missing). */
export function valueAtPath(root: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isJsonObject(current))
      current = Object.prototype.hasOwnProperty.call(current, segment) ? current[segment] : undefined;
    else return undefined;
  }
  return current;
}
