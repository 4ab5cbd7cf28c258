/**
 * The `format` parameter of GET statements (xAPI Communication 2.1.3), applied to a stored
 * statement (as parsed from the stored text, LosslessNumbers included).
 *
 * - `exact`: the statement as stored.
 * - `ids`: "only include minimum information necessary in Agent, Activity, Verb and Group Objects to
 *   identify them. For Anonymous Groups this means including the minimum information needed to
 *   identify each member." Agents and identified Groups become `{objectType, <IFI>}`; anonymous
 *   Groups `{objectType: "Group", member: [...]}` with reduced members; Activities `{id}`; Verbs
 *   `{id}`. Everything else (result, context values, attachments, ids, timestamps) is kept.
 * - `canonical`: Activities carry the LRS's canonical definition (when the caller supplies one) and
 *   Verbs the canonical display, each language map reduced to one language chosen by Accept-Language
 *   ("Language Filtering Requirements for Canonical Format Statements"); Agents and Groups as exact.
 */
import { agentIfi } from './agent-key.js';
import { cloneJson, isJsonObject } from './json.js';
import type { PathSegment } from './json-path.js';
import { parseAcceptLanguage, reduceLanguageMap } from './language-preference.js';
import { actorKind, collectActivities, collectAgents, statementParts } from './statement-walk.js';
import type { JsonObject } from './types.js';

export type StatementFormat = 'exact' | 'ids' | 'canonical';

export const STATEMENT_FORMATS: readonly StatementFormat[] = ['exact', 'ids', 'canonical'];

export interface FormatOptions {
  format: StatementFormat;
  /** The request's Accept-Language header (canonical only). */
  acceptLanguage?: string;
  /** The LRS's canonical Activity definition for an Activity id, if it keeps one (canonical only). */
  canonicalDefinition?: (activityId: string) => JsonObject | undefined;
  /** The LRS's canonical display language map for a Verb id, if it keeps one (canonical only). */
  canonicalVerbDisplay?: (verbId: string) => JsonObject | undefined;
  /** Languages to fall back on when Accept-Language matches nothing; default `en-US`, `en`. */
  defaultLanguages?: string[];
}

const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

/**
 * Returns the statement in the requested format. The input is not modified; `exact` returns a
 * copy of it.
 */
export function formatStatement(statement: unknown, options: FormatOptions): unknown {
  const copy = cloneJson(statement);
  if (!isJsonObject(copy) || options.format === 'exact') return copy;
  if (options.format === 'ids') return toIdsFormat(copy);
  return toCanonicalFormat(copy, options);
}

/** Reduces an Agent or Group to what identifies it (the `ids` format). */
export function reduceActor(actor: unknown): unknown {
  if (!isJsonObject(actor)) return actor;
  const kind = actorKind(actor) ?? 'Agent';
  const ifi = agentIfi(actor);
  if (ifi) return { objectType: kind, ...ifi };
  if (kind === 'Group' && Array.isArray(actor.member)) {
    return { objectType: 'Group', member: actor.member.map(reduceActor) };
  }
  return actor;
}

function toIdsFormat(statement: JsonObject): JsonObject {
  for (const agent of collectAgents(statement, [])) {
    if (!agent.member) setAt(statement, agent.path, reduceActor(agent.node));
  }
  for (const activity of collectActivities(statement, [])) {
    setAt(statement, activity.path, { id: activity.node.id });
  }
  for (const part of statementParts(statement, [])) {
    if (isJsonObject(part.node.verb)) part.node.verb = { id: part.node.verb.id };
  }
  return statement;
}

function toCanonicalFormat(statement: JsonObject, options: FormatOptions): JsonObject {
  const preferences = parseAcceptLanguage(options.acceptLanguage);
  const reduce = (map: unknown): unknown => reduceLanguageMap(map, preferences, options.defaultLanguages);
  for (const activity of collectActivities(statement, [])) {
    const id = activity.node.id;
    const canonical = typeof id === 'string' ? options.canonicalDefinition?.(id) : undefined;
    const definition = canonical !== undefined ? cloneJson(canonical) : activity.node.definition;
    if (!isJsonObject(definition)) continue;
    reduceDefinition(definition, reduce);
    activity.node.definition = definition;
  }
  for (const part of statementParts(statement, [])) {
    const verb = part.node.verb;
    if (!isJsonObject(verb)) continue;
    const canonical = typeof verb.id === 'string' ? options.canonicalVerbDisplay?.(verb.id) : undefined;
    const display = canonical !== undefined ? cloneJson(canonical) : verb.display;
    if (display !== undefined) verb.display = reduce(display);
  }
  return statement;
}

function reduceDefinition(definition: JsonObject, reduce: (map: unknown) => unknown): void {
  if (definition.name !== undefined) definition.name = reduce(definition.name);
  if (definition.description !== undefined) definition.description = reduce(definition.description);
  for (const list of COMPONENT_LISTS) {
    const components = definition[list];
    if (!Array.isArray(components)) continue;
    for (const component of components) {
      if (isJsonObject(component) && component.description !== undefined) {
        component.description = reduce(component.description);
      }
    }
  }
}

function setAt(root: JsonObject, path: PathSegment[], value: unknown): void {
  let current: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    current = Array.isArray(current) ? current[Number(segment)] : (current as JsonObject)[segment];
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(current)) current[Number(last)] = value;
  else (current as JsonObject)[last] = value;
}
