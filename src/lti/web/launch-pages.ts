import { Router } from 'express';
import { z } from 'zod';
import { route } from '../../web/async-route.js';
import { ValidationError } from '../../errors.js';
import type { Services } from '../../services.js';
import type { LtiSession } from '../../storage/repositories/lti-session-repository.js';
import { requireLtiSession, sessionOf } from './session.js';

export interface LaunchPageDeps {
  services: Services;
}

const contextParams = z.object({ contextId: z.string().uuid() });

/** Parses params with one schema, or answers 400 naming the bad field. */
function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ValidationError(
      'The address is not valid.',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return r.data;
}

/** Where launches land, by role (issue #5): learner module, instructor course report, admin home. */
export function launchPages(deps: LaunchPageDeps): Router {
  const router = Router();
  const { lti } = deps.services;
  const frameOrigins = async (s: LtiSession) => {
    const p = await lti.platforms.get(s.tenantId, s.platformId);
    return [p.issuer, p.authUrl];
  };
  const guard = (...kinds: LtiSession['roleKind'][]) =>
    requireLtiSession({ launches: lti.launches, frameOrigins }, kinds);

  router.get(
    '/learn/:linkId',
    guard('learner', 'instructor', 'admin', 'other'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const launch = s.launch as {
        name?: string;
        contextTitle?: string;
        resourceLinkTitle?: string;
        actor?: unknown;
      };
      res.render('pages/lti/learner', {
        title: launch.resourceLinkTitle ?? 'Module',
        context: launch.contextTitle,
        name: launch.name,
        linkId: req.params.linkId,
        actor: JSON.stringify(launch.actor),
      });
    }),
  );

  router.get(
    '/courses/:contextId/report',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { contextId } = parse(contextParams, req.params);
      const course = await lti.courses.get(s.tenantId, contextId);
      const roster = await lti.courses.roster(s.tenantId, contextId);
      res.render('pages/lti/course-report', {
        title: `Course report: ${course.title ?? course.contextId}`,
        context: course.title,
        course,
        roster,
        activeCount: roster.filter((r) => r.status === 'active').length,
      });
    }),
  );

  router.get(
    '/admin',
    guard('admin'),
    route(async (_req, res) => {
      const s = sessionOf(res);
      const tenant = (await deps.services.tenants.list()).find((t) => t.id === s.tenantId);
      const platforms = tenant ? await lti.platforms.list(tenant.name) : [];
      const courses = await lti.courses.list(s.tenantId);
      res.render('pages/lti/admin-home', {
        title: 'Admin home',
        context: tenant?.name,
        tenant,
        platforms,
        courses,
      });
    }),
  );
  return router;
}
