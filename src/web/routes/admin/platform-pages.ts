import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import { ForbiddenError } from '../../../errors.js';
import type { TenantService } from '../../../tenants/tenant-service.js';
import type { LtiSession } from '../../../lti/model.js';
import { toolUrls, type PlatformService } from '../../../lti/platforms/platform-service.js';
import {
  registrationUrl,
  type RegistrationTokenService,
} from '../../../lti/registration/registration-token-service.js';
import { sessionOf } from '../../middleware/lti-session.js';
import type { PageGuard } from '../../middleware/page-access.js';

const addSchema = z.object({
  issuer: z.string().min(1),
  clientId: z.string().min(1),
  deploymentIds: z.string().min(1),
  authUrl: z.string().min(1),
  tokenUrl: z.string().min(1),
  jwksUrl: z.string().min(1),
  name: z.string().optional(),
});
const platformParams = z.object({ platformId: z.string().uuid() });

/** What the LMS platforms page uses. */
export interface AdminPlatformPageDeps {
  tenants: TenantService;
  platforms: PlatformService;
  registrationTokens: Pick<RegistrationTokenService, 'create'>;
  guard: PageGuard;
  publicUrl: string;
}

/** The admin page 'LMS platforms': list, register, approve dynamic registrations, add deployments. */
export function adminPlatformPages(deps: AdminPlatformPageDeps): Router {
  const router = Router();
  const { platforms, tenants } = deps;
  const guard = deps.guard('admin');
  const tenantOf = async (s: LtiSession) => {
    const t = (await tenants.list()).find((x) => x.id === s.tenantId);
    if (!t) throw new ForbiddenError('Your tenant no longer exists.');
    return t;
  };
  const form = express.urlencoded({ extended: false });

  const page = async (res: Response, created?: { url: string; expiresAt: string }) => {
    const tenant = await tenantOf(sessionOf(res));
    res.render('pages/lti/admin-platforms', {
      title: 'LMS platforms',
      context: tenant.name,
      tenant,
      tool: toolUrls(deps.publicUrl),
      registration: created,
      platforms: await platforms.list(tenant.name),
    });
  };

  router.get(
    '/admin/platforms',
    guard,
    route(async (_req, res) => page(res)),
  );

  // A one-time Dynamic Registration URL, shown once (only the token's hash is stored).
  router.post(
    '/admin/platforms/registration-url',
    guard,
    route(async (_req, res) => {
      const tenant = await tenantOf(sessionOf(res));
      const created = await deps.registrationTokens.create(tenant.name);
      const url = registrationUrl(toolUrls(deps.publicUrl).dynamicRegistrationUrl, created.token);
      await page(res, { url, expiresAt: created.expiresAt });
    }),
  );

  router.post(
    '/admin/platforms',
    guard,
    form,
    route(async (req, res) => {
      const tenant = await tenantOf(sessionOf(res));
      const b = parseInput(addSchema, req.body, 'form');
      await platforms.register({
        ...b,
        tenant: tenant.name,
        deploymentIds: b.deploymentIds.split(/[\s,]+/),
        source: 'admin',
      });
      res.redirect(303, '/admin/platforms');
    }),
  );

  router.post(
    '/admin/platforms/:platformId/approve',
    guard,
    route(async (req, res) => {
      const { platformId } = parseInput(platformParams, req.params, 'address');
      await platforms.approve(sessionOf(res).tenantId, platformId);
      res.redirect(303, '/admin/platforms');
    }),
  );

  router.post(
    '/admin/platforms/:platformId/deployments',
    guard,
    form,
    route(async (req, res) => {
      const { platformId } = parseInput(platformParams, req.params, 'address');
      const { deploymentId } = parseInput(z.object({ deploymentId: z.string().min(1) }), req.body, 'form');
      await platforms.addDeployment(sessionOf(res).tenantId, platformId, deploymentId);
      res.redirect(303, '/admin/platforms');
    }),
  );
  return router;
}
