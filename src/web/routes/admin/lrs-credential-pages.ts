import express, { Router } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { NotFoundError, ValidationError } from '../../../errors.js';
import type { TenantService } from '../../../tenants/tenant-service.js';
import type { LrsCredentialService } from '../../../xapi/credentials/credential-service.js';
import { LRS_SCOPES } from '../../../xapi/credentials/scopes.js';
import type { PageAccess } from '../programs/program-pages.js';

const createForm = z.object({
  name: z.string().trim().max(200).default(''),
  scopes: z.union([z.string(), z.array(z.string())]).transform((s) => (Array.isArray(s) ? s : [s])),
});

/** What the LRS credential pages use. */
export interface LrsCredentialPageDeps {
  tenants: TenantService;
  lrsCredentials: LrsCredentialService;
  access: PageAccess;
  publicUrl: string;
}

/** Admin pages for LRS credentials: list, create (the secret is shown once), revoke. */
export function lrsCredentialPages(deps: LrsCredentialPageDeps): Router {
  const router = Router();
  const { access } = deps;
  const endpoint = `${deps.publicUrl.replace(/\/+$/, '')}/xapi/`;
  const base = '/admin/lrs-credentials';
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const tenantOf = async (tenantId: string) => {
    const tenant = await deps.tenants.getById(tenantId);
    return tenant.name;
  };
  const page = async (tenantId: string, extra: Record<string, unknown> = {}) => {
    const credentials = await deps.lrsCredentials.list(await tenantOf(tenantId));
    return {
      title: 'LRS credentials',
      endpoint,
      scopes: LRS_SCOPES.map((s) => ({ value: s, checked: s === 'statements/write' })),
      credentials: credentials.map((c) => ({
        key: c.key,
        name: c.name,
        scopes: c.scopes.join(', '),
        created: c.createdAt.slice(0, 10),
        revoked: c.revokedAt ? c.revokedAt.slice(0, 10) : null,
      })),
      ...extra,
    };
  };

  router.get(
    base,
    access.guard,
    route(async (_req, res) => {
      res.render('pages/lrs/credentials', await page(access.tenantId(res)));
    }),
  );

  router.post(
    base,
    access.guard,
    form,
    route(async (req, res) => {
      const parsed = createForm.safeParse(req.body);
      if (!parsed.success) throw new ValidationError('Tick at least one scope for the new credential.');
      const tenantId = access.tenantId(res);
      const created = await deps.lrsCredentials.create({
        tenant: await tenantOf(tenantId),
        scopes: parsed.data.scopes,
        name: parsed.data.name || undefined,
        homePage: deps.publicUrl,
      });
      res
        .status(201)
        .render(
          'pages/lrs/credentials',
          await page(tenantId, { created: { key: created.key, secret: created.secret } }),
        );
    }),
  );

  router.post(
    `${base}/:key/revoke`,
    access.guard,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const mine = await deps.lrsCredentials.list(await tenantOf(tenantId));
      if (!mine.some((c) => c.key === req.params.key))
        throw new NotFoundError('There is no such credential in your organization.');
      await deps.lrsCredentials.revoke(req.params.key!);
      res.redirect(303, base);
    }),
  );
  return router;
}
