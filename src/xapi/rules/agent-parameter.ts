/**
 * The `agent` query parameter of GET statements and the document resources
 * (xAPI Communication 2.1.3, 2.3, 2.6): an Agent or identified Group as JSON.
 *
 * xAPI Data 2.2: "The LRS MUST validate parameter values to the same standards required for values
 * of the same types in Statements." So the parameter is parsed, validated with the statement rules
 * for an actor (one IFI, valid mbox/sha1/openid/account, members not Groups), and must have an IFI:
 * an anonymous Group identifies nobody.
 */
import { agentKey } from './agent-key.js';
import { sha1sumErrors } from './checks/data-type-checks.js';
import { groupMemberErrors } from './checks/agent-checks.js';
import { isJsonObject, parseJsonLossless, toPlainJson } from './json.js';
import { libraryRuleErrors } from './library-validation.js';
import type { JsonObject, RuleError } from './types.js';

export type AgentParameterResult =
  | { ok: true; agent: JsonObject; key: string; objectType: 'Agent' | 'Group' }
  | { ok: false; errors: RuleError[] };

/**
 * Parses and validates the `agent` parameter. `name` is the parameter name used in messages
 * (`agent` for statements; the document resources use `agent` too).
 *
 * @example parseAgentParameter('{"mbox":"mailto:jo@example.com"}')
 *   // { ok: true, key: 'mbox:mailto:jo@example.com', objectType: 'Agent', agent: {...} }
 */
export function parseAgentParameter(text: string | undefined, name = 'agent'): AgentParameterResult {
  if (text === undefined || text === '') {
    return {
      ok: false,
      errors: [
        {
          path: name,
          message: `${name} is empty; send an Agent as JSON, e.g. {"mbox":"mailto:learner@example.com"}`,
        },
      ],
    };
  }
  const parsed = parseJsonLossless(text);
  if (!parsed.ok)
    return {
      ok: false,
      errors: [{ path: name, message: `${name} ${parsed.message}; send an Agent as JSON` }],
    };
  const value = toPlainJson(parsed.value);
  if (!isJsonObject(value)) {
    return {
      ok: false,
      errors: [{ path: name, message: `${name} must be a JSON object (an Agent or identified Group)` }],
    };
  }
  const errors: RuleError[] = [
    ...libraryRuleErrors('actor', value, [name]),
    ...sha1sumErrors({ actor: value, verb: {}, object: {} }, []).map((e) => ({
      ...e,
      path: rebase(e.path, name),
    })),
    ...groupMemberErrors({ actor: value }, []).map((e) => ({ ...e, path: rebase(e.path, name) })),
  ];
  const key = agentKey(value);
  if (errors.length === 0 && key === undefined) {
    errors.push({
      path: name,
      message: `${name} has no identifier; use an Agent or an identified Group with one of mbox, mbox_sha1sum, openid, account`,
    });
  }
  if (errors.length > 0 || key === undefined) return { ok: false, errors };
  return { ok: true, agent: value, key, objectType: value.objectType === 'Group' ? 'Group' : 'Agent' };
}

function rebase(path: string, name: string): string {
  return name + path.slice('actor'.length);
}
