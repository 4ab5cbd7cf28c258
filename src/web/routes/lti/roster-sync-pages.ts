import express, { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import type { LtiServices } from '../../../lti/lti-services.js';
import { sessionOf } from '../../middleware/lti-session.js';
import type { PageGuard } from '../../middleware/page-access.js';
import { ForbiddenError } from '../../../errors.js';
import type { LtiSession } from '../../../lti/model.js';

export interface RosterSyncPageDeps {
  lti: Pick<LtiServices, 'courses' | 'rosters'>;
  guard: PageGuard;
}

const contextParams = z.object({ contextId: z.string().uuid() });

/** An instructor syncs the course they launched from; an admin any course of the tenant. */
function courseOf(s: LtiSession, params: unknown): string {
  const { contextId } = parseInput(contextParams, params, 'address');
  if (s.roleKind !== 'admin' && s.contextId !== contextId)
    throw new ForbiddenError('This roster belongs to another course; sync it from that course in the LMS.');
  return contextId;
}

/** "None", or how many and who ("2: Ana Alvarez, Ben Brooks"), the first 20 names. */
function namesText(names: string[]): string {
  if (!names.length) return 'None';
  const more = names.length > 20 ? `, and ${names.length - 20} more` : '';
  return `${names.length}: ${names.slice(0, 20).join(', ')}${more}`;
}

/**
 * "Sync roster from the LMS now" (issue #15): a page that says what a sync does and asks to confirm,
 * then one that says what changed (joined, left, unchanged) instead of silently reloading the report.
 * JSON clients get the sync result as before.
 */
export function rosterSyncPages(deps: RosterSyncPageDeps): Router {
  const router = Router();
  const { lti, guard } = deps;

  router.get(
    '/courses/:contextId/roster-sync',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const contextId = courseOf(s, req.params);
      const course = await lti.courses.get(s.tenantId, contextId);
      res.render('pages/lti/roster-sync', {
        title: `Sync the roster of ${course.title ?? course.contextId}`,
        context: course.title,
        course,
        confirm: true,
      });
    }),
  );

  router.post(
    '/courses/:contextId/roster-sync',
    guard('instructor', 'admin'),
    express.urlencoded({ extended: false }),
    route(async (req, res) => {
      const s = sessionOf(res);
      const contextId = courseOf(s, req.params);
      const body = parseInput(z.object({ role: z.string().max(200).optional() }), req.body ?? {}, 'form');
      const result = await lti.rosters.sync(s.tenantId, contextId, { role: body.role || undefined });
      if (req.accepts(['html', 'json']) === 'json') return void res.json(result);
      const course = await lti.courses.get(s.tenantId, contextId);
      res.render('pages/lti/roster-sync', {
        title: `Roster of ${course.title ?? course.contextId} synced`,
        context: course.title,
        course,
        changes: {
          joined: namesText(result.joined),
          left: namesText(result.left),
          unchanged: `${result.unchanged} ${result.unchanged === 1 ? 'member' : 'members'}`,
          samples: result.samples,
        },
      });
    }),
  );
  return router;
}
