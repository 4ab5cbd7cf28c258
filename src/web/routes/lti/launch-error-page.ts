import type { Request, Response } from 'express';
import { newErrorId } from '../../middleware/error-handler.js';
import { LaunchError } from '../../../lti/launch/launch-error.js';
import { setFrameAncestors } from '../../middleware/frame-ancestors.js';

/**
 * Answers a refused launch with a page naming what happened, what the LMS admin must do, the facts
 * they need (issuer, client id, deployment id) and an error id; JSON for API clients. Never a stack.
 */
export function renderLaunchError(req: Request, res: Response, err: LaunchError): void {
  const errorId = newErrorId();
  req.log?.warn({ errorId, reason: err.reason, facts: err.facts }, 'LTI launch refused');
  const status = err.code === 'unauthenticated' ? 401 : 403;
  setFrameAncestors(res, '*');
  res.status(status);
  const facts = Object.entries(err.facts)
    .filter(([k, v]) => v !== undefined && k !== 'ltijs')
    .map(([name, value]) => ({ name, value }));
  if (req.accepts(['html', 'json']) === 'json') {
    res.json({
      error: { code: err.code, reason: err.reason, message: err.message, facts: err.facts, errorId },
    });
    return;
  }
  res.render('pages/lti/launch-error', {
    title: err.title,
    reason: err.reason,
    action: err.action,
    facts,
    errorId,
    status,
  });
}

/** Express error middleware for LTI routes: LaunchErrors get their page, anything else moves on. */
export function launchErrorHandler(
  err: unknown,
  req: Request,
  res: Response,
  next: (err?: unknown) => void,
): void {
  if (err instanceof LaunchError && !res.headersSent) renderLaunchError(req, res, err);
  else next(err);
}
