import { ForbiddenError } from '../../errors.js';
import { agentKey, normalizeUuid, type JsonObject } from '../rules/index.js';

/**
 * A cmi5 launch token writes statements only about its own learner and registration (cmi5 8.2: the
 * token is limited to the session it was fetched for). Throws ForbiddenError naming the first statement
 * that steps outside.
 */
export function checkLaunchScope(
  statements: JsonObject[],
  launch: { agentKey: string; registration: string },
): void {
  statements.forEach((s, i) => {
    const context = s.context as { registration?: unknown } | undefined;
    const registration = typeof context?.registration === 'string' ? normalizeUuid(context.registration) : '';
    if (agentKey(s.actor) !== launch.agentKey || registration !== normalizeUuid(launch.registration)) {
      throw new ForbiddenError(
        `Statement ${i + 1} is not about this launch's learner and registration; a cmi5 launch token stores only statements with the launch's actor and registration (cmi5 8.2).`,
      );
    }
  });
}
