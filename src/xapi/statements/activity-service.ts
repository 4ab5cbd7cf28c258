/**
 * The Activities and Agents resources (xAPI Communication 2.4, 2.5): the LRS's canonical Activity
 * definition and the Person an Agent stands for.
 */
import { ValidationError } from '../../errors.js';
import type { XapiStatementRepository } from '../../storage/repositories/xapi-statement-repository.js';
import {
  IFI_PROPERTIES,
  isIri,
  parseAgentParameter,
  parseJsonLossless,
  type JsonObject,
} from '../rules/index.js';

export interface ActivityService {
  /** The Activity with its canonical definition; an Activity with just its id when none is known. */
  activity(tenantId: string, activityId: unknown): Promise<JsonObject>;
  /** The Person object for an `agent` parameter (this LRS keeps no identity links: one Agent, one Person). */
  person(agentText: unknown): JsonObject;
}

export function createActivityService(deps: { statements: XapiStatementRepository }): ActivityService {
  return {
    async activity(tenantId, activityId) {
      if (typeof activityId !== 'string' || !isIri(activityId) || activityId.includes('\u0000')) {
        throw new ValidationError(
          'activityId must be given once, as an IRI such as http://example.com/activities/1.',
          [{ path: 'activityId', message: 'missing or not an IRI' }],
        );
      }
      const found = await deps.statements.findActivities(tenantId, [activityId]);
      const text = found.get(activityId);
      const parsed = text ? parseJsonLossless(text) : undefined;
      return { objectType: 'Activity', id: activityId, ...(parsed?.ok ? { definition: parsed.value } : {}) };
    },
    person(agentText) {
      const parsed = parseAgentParameter(typeof agentText === 'string' ? agentText : undefined);
      if (!parsed.ok)
        throw new ValidationError(
          `The agent parameter is not valid: ${parsed.errors[0]?.message}.`,
          parsed.errors,
        );
      if (parsed.objectType !== 'Agent') {
        throw new ValidationError(
          'The Agents resource takes an Agent, not a Group (xAPI Communication 2.5).',
          [{ path: 'agent', message: 'is a Group' }],
        );
      }
      const person: JsonObject = { objectType: 'Person' };
      if (typeof parsed.agent.name === 'string') person.name = [parsed.agent.name];
      for (const ifi of IFI_PROPERTIES)
        if (parsed.agent[ifi] !== undefined) person[ifi] = [parsed.agent[ifi]];
      return person;
    },
  };
}
