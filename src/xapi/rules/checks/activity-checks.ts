/**
 * Interaction component rules xapi-validation misses.
 */
import { isJsonObject } from '../json.js';
import { formatPath, type PathSegment } from '../json-path.js';
import { collectActivities } from '../statement-walk.js';
import type { RuleError } from '../types.js';

const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

/** xAPI Data 2.4.4.1: "Within an array of interaction components, all id values MUST be distinct." */
export function componentIdErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const activity of collectActivities(statement, root)) {
    const definition = activity.node.definition;
    if (!isJsonObject(definition)) continue;
    for (const list of COMPONENT_LISTS) {
      const components = definition[list];
      if (!Array.isArray(components)) continue;
      const seen = new Set<string>();
      components.forEach((component, index) => {
        if (!isJsonObject(component) || typeof component.id !== 'string') return;
        if (seen.has(component.id)) {
          errors.push({
            path: formatPath([...activity.path, 'definition', list, index, 'id']),
            message: `the id "${component.id}" appears twice in ${list}; ids within one list must be distinct (xAPI Data 2.4.4.1)`,
          });
        }
        seen.add(component.id);
      });
    }
  }
  return errors;
}
