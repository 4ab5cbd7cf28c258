/**
 * Agent and Group rules xapi-validation misses.
 */
import { isJsonObject } from '../json.js';
import { formatPath, type PathSegment } from '../json-path.js';
import { collectAgents, statementParts } from '../statement-walk.js';
import type { RuleError } from '../types.js';

const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'];

/**
 * xAPI Data 2.4.2.2: an anonymous or identified Group "MUST NOT contain Group Objects in the
 * member property" (xapi-validation validates members as any actor).
 */
export function groupMemberErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  return collectAgents(statement, root)
    .filter((agent) => agent.member && agent.kind === 'Group')
    .map((agent) => ({
      path: formatPath([...agent.path, 'objectType']),
      message:
        'a Group cannot be a member of a Group; list the individual Agents instead (xAPI Data 2.4.2.2)',
    }));
}

/**
 * xAPI Data 2.4.4.2: "Statements that specify an Agent or Group as an Object MUST specify an
 * objectType property." Without it the object is read as an Activity and xapi-validation reports
 * confusing Activity errors; this gives one clear error and returns the path whose library errors
 * should be dropped.
 */
export function objectTypeOmittedErrors(
  statement: unknown,
  root: PathSegment[],
): { errors: RuleError[]; suppress: string[] } {
  const errors: RuleError[] = [];
  const suppress: string[] = [];
  for (const part of statementParts(statement, root)) {
    const object = part.node.object;
    if (!isJsonObject(object) || object.objectType !== undefined || object.id !== undefined) continue;
    const looksLikeAgent = IFI_KEYS.some((key) => key in object) || 'member' in object;
    if (!looksLikeAgent) continue;
    const path = formatPath([...part.path, 'object']);
    suppress.push(path);
    errors.push({
      path,
      message:
        'looks like an Agent or Group but has no objectType; an Agent or Group used as the object must include "objectType": "Agent" or "Group" (xAPI Data 2.4.4.2)',
    });
  }
  return { errors, suppress };
}
