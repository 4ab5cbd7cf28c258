import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../errors.js';
import { normalizeUuid } from '../../xapi/rules/index.js';
import { parseAgentParameter } from '../../xapi/rules/agent-parameter.js';
import { principalOf } from './xapi-auth.js';

/**
 * Keeps a cmi5 launch token inside its launch (cmi5 8.2, 10): statements (checked per statement by the
 * statement service), the State API for its own agent and registration (LMS.LaunchData and the content's
 * own state), and its agent's profile (cmi5LearnerPreferences). Everything else answers 403.
 */
export const launchScope: RequestHandler = (req, res, next) => {
  const launch = principalOf(res).launch;
  if (!launch) return next();
  if (req.path === '/statements') return next();
  const query = req.query as Record<string, unknown>;
  const agent = typeof query.agent === 'string' ? parseAgentParameter(query.agent) : undefined;
  const sameAgent = agent?.ok === true && agent.key === launch.agentKey;
  if (req.path === '/activities/state') {
    const registration = typeof query.registration === 'string' ? normalizeUuid(query.registration) : '';
    if (sameAgent && registration === normalizeUuid(launch.registration)) return next();
  }
  if (req.path === '/agents/profile' && ['GET', 'HEAD'].includes(req.method) && sameAgent) return next();
  next(
    new ForbiddenError(
      "A cmi5 launch token reaches only statements, the launch's own state documents (agent and registration of the launch) and its learner's profile.",
    ),
  );
};
