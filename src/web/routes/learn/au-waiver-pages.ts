import express, { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import { ForbiddenError } from '../../../errors.js';
import type { LtiSession } from '../../../lti/model.js';
import { WAIVER_REASONS, type AuWaiverService } from '../../../learning/cmi5/au-waiver-service.js';
import { actorOf } from '../../../learning/flow/learner-flow-service.js';
import { formatDate } from '../../presenters/format.js';
import { sessionOf } from '../../middleware/lti-session.js';
import type { PageGuard } from '../../middleware/page-access.js';

export interface AuWaiverPageDeps {
  waivers: AuWaiverService;
  guard: PageGuard;
}

const params = z.object({
  contextId: z.string().uuid('not a course id'),
  userId: z.string().uuid('not a learner id'),
});
const waiveBody = z.object({
  registration: z.string().uuid('not a registration id'),
  au: z.string().min(1, 'pick an AU').max(2000),
  reason: z.enum(WAIVER_REASONS, { message: `use one of: ${WAIVER_REASONS.join(', ')}` }),
});

/** An instructor waives in the course they launched from; an admin in any course of the tenant. */
function scopeOf(s: LtiSession, raw: unknown) {
  const p = parseInput(params, raw, 'address');
  if (s.roleKind !== 'admin' && s.contextId !== p.contextId)
    throw new ForbiddenError(
      'This learner is in another course; waive their AUs from that course in the LMS.',
    );
  return p;
}

/** The waiver's author as the statement's context.instructor, when the launch named them. */
function authorOf(s: LtiSession) {
  try {
    return actorOf(s);
  } catch {
    return undefined;
  }
}

/**
 * Waivers of cmi5 AUs (cmi5 9.3.7, issue #19): a page listing a learner's registrations at cmi5
 * modules of the course, AU by AU, with a form to waive an AU still to do, and the form's post.
 */
export function auWaiverPages(deps: AuWaiverPageDeps): Router {
  const router = Router();
  const { waivers, guard } = deps;

  async function render(
    res: express.Response,
    s: LtiSession,
    p: { contextId: string; userId: string },
    done?: { auTitle: string; reason: string; satisfied: string[] },
  ) {
    const { learnerName, registrations } = await waivers.registrations(s.tenantId, p.contextId, p.userId);
    res.render('pages/learn/au-waivers', {
      title: `${learnerName}: waive AUs`,
      heading: `Waive AUs for ${learnerName}`,
      action: `/courses/${p.contextId}/learners/${p.userId}/waivers`,
      back: `/courses/${p.contextId}/report/learners/${p.userId}`,
      reasons: WAIVER_REASONS,
      done: done && {
        ...done,
        satisfied: done.satisfied.length ? done.satisfied.join(', ') : undefined,
      },
      registrations: registrations.map((r) => ({
        ...r,
        started: formatDate(r.startedAt),
        aus: r.aus.map((a) => ({
          ...a,
          open: a.state === 'open',
          label:
            a.state === 'waived' ? 'Waived' : a.state === 'met' ? 'Done' : `To do: ${a.missing ?? 'not met'}`,
        })),
      })),
    });
  }

  router.get(
    '/courses/:contextId/learners/:userId/waivers',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      await render(res, s, scopeOf(s, req.params));
    }),
  );

  router.post(
    '/courses/:contextId/learners/:userId/waivers',
    guard('instructor', 'admin'),
    express.urlencoded({ extended: false, limit: '16kb' }),
    route(async (req, res) => {
      const s = sessionOf(res);
      const p = scopeOf(s, req.params);
      const body = parseInput(waiveBody, req.body ?? {}, 'form');
      const result = await waivers.waive({
        tenantId: s.tenantId,
        contextId: p.contextId,
        learnerUserId: p.userId,
        registration: body.registration,
        auId: body.au,
        reason: body.reason,
        by: authorOf(s),
      });
      if (req.accepts(['html', 'json']) === 'json') return void res.json(result);
      await render(res, s, p, { ...result, reason: body.reason });
    }),
  );
  return router;
}
