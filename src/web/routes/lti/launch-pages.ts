import express, { Router } from 'express';
import { passbackStatusLabel, progressLabel } from '../../presenters/passback-labels.js';
import { formatDateTime } from '../../presenters/format.js';
import { z } from 'zod';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import type { TenantService } from '../../../tenants/tenant-service.js';
import type { LtiServices } from '../../../lti/lti-services.js';
import { sessionOf } from '../../middleware/lti-session.js';
import type { PageGuard } from '../../middleware/page-access.js';
import { ADMIN_PAGES } from '../../presenters/nav-presenter.js';

export interface LaunchPageDeps {
  tenants: TenantService;
  lti: Pick<LtiServices, 'courses' | 'grades' | 'deepLinking' | 'platforms' | 'launches'>;
  guard: PageGuard;
  /** Yardstick's launch URL, the target of deep-linked content items. */
  launchUrl: string;
}

const contextParams = z.object({ contextId: z.string().uuid() });

/** Where launches land, by role (issue #5): learner module, instructor course report, admin home. */
export function launchPages(deps: LaunchPageDeps): Router {
  const router = Router();
  const { lti, guard } = deps;

  // /learn/:linkId, where learner launches land, lives in src/web/routes/learn/learner-pages.ts.

  router.get(
    '/courses/:contextId/passbacks',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { contextId } = parseInput(contextParams, req.params, 'address');
      const course = await lti.courses.get(s.tenantId, contextId);
      const passbacks = await lti.grades.log(s.tenantId, contextId);
      res.render('pages/lti/passbacks', {
        title: `Grade passback log: ${course.title ?? course.contextId}`,
        context: course.title,
        course,
        passbacks: passbacks.map((p) => ({
          ...p,
          canRetry: p.status !== 'sent',
          progress: progressLabel(p.activityProgress, p.gradingProgress),
          statusLabel: passbackStatusLabel(p.status),
          createdAt: formatDateTime(p.createdAt),
          sentAt: p.sentAt ? formatDateTime(p.sentAt) : '',
        })),
      });
    }),
  );

  router.post(
    '/courses/:contextId/passbacks/:passbackId/retry',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { contextId, passbackId } = parseInput(
        contextParams.extend({ passbackId: z.string().uuid() }),
        req.params,
        'address',
      );
      await lti.courses.get(s.tenantId, contextId);
      await lti.grades.retry(s.tenantId, passbackId);
      res.redirect(303, `/courses/${contextId}/passbacks`);
    }),
  );

  // Roster sync (confirm, then what changed) lives in roster-sync-pages.ts.

  router.get(
    '/deep-link',
    guard('instructor', 'admin'),
    route(async (_req, res) => {
      const launch = sessionOf(res).launch as { contextTitle?: string };
      res.render('pages/lti/deep-link', {
        title: 'Add Yardstick content',
        context: launch.contextTitle,
        items: await lti.deepLinking.catalog(sessionOf(res).tenantId),
      });
    }),
  );

  router.post(
    '/deep-link',
    guard('instructor', 'admin'),
    express.urlencoded({ extended: false }),
    route(async (req, res) => {
      const body = parseInput(
        z.object({ items: z.union([z.string(), z.array(z.string())]).optional() }),
        req.body ?? {},
        'form',
      );
      const ids = body.items === undefined ? [] : Array.isArray(body.items) ? body.items : [body.items];
      res.send(await lti.deepLinking.respond(sessionOf(res), ids, deps.launchUrl));
    }),
  );

  // Sign-out: the session ends, so its cookie and every session token issued for it (the `yst` of
  // platform-storage launches) are refused from now on, before their lifetime runs out.
  router.post(
    '/logout',
    guard('learner', 'instructor', 'admin', 'other'),
    route(async (req, res) => {
      await lti.launches.endSession(sessionOf(res));
      if (req.accepts(['html', 'json']) === 'json') return void res.json({ signedOut: true });
      // The page itself carries no session token: there is no session left to carry.
      res.locals.sessionToken = undefined;
      res.render('pages/lti/signed-out', { title: 'Signed out of Yardstick' });
    }),
  );

  router.get(
    '/admin',
    guard('admin'),
    route(async (_req, res) => {
      const s = sessionOf(res);
      const tenant = (await deps.tenants.list()).find((t) => t.id === s.tenantId);
      const platforms = tenant ? await lti.platforms.list(tenant.name) : [];
      const courses = await lti.courses.list(s.tenantId);
      res.render('pages/lti/admin-home', {
        title: 'Admin home',
        context: tenant?.name,
        tenant,
        pages: ADMIN_PAGES.filter((p) => p.href !== '/admin'),
        platforms,
        courses,
      });
    }),
  );
  return router;
}
