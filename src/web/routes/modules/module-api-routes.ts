import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import { NotFoundError } from '../../../errors.js';
import type { ModuleAuthoringService } from '../../../learning/authoring/module-authoring-service.js';
import type { TenantService } from '../../../tenants/tenant-service.js';
import type { ModuleExperimentService } from '../../../learning/experiments/module-experiment-service.js';

export const MODULES_API = '/admin/api/modules';

const tenantParams = z.object({ tenant: z.string().min(1) }).strict();
const moduleParams = tenantParams.extend({ moduleId: z.string().uuid('not a module id') });
const versionParams = moduleParams.extend({ version: z.coerce.number().int().min(1) });
const noQuery = z.object({}).strict();

const createBody = z.object({ title: z.string(), programId: z.string().uuid().nullish() }).strict();
const draftBody = z.object({ content: z.unknown() }).strict();
const importQuery = z
  .object({ moduleId: z.string().uuid().optional(), programId: z.string().uuid().optional() })
  .strict();
const linkBody = z.object({ contextId: z.string(), resourceLinkId: z.string() }).strict();
const experimentBody = z
  .object({
    name: z.string(),
    armAVersion: z.number(),
    armBVersion: z.number(),
    allocationA: z.number().optional(),
    seed: z.number().optional(),
  })
  .strict();
const experimentParams = moduleParams.extend({ experimentId: z.string().uuid('not an experiment id') });

/** One schema per endpoint over params, query and body together. */
function input<P extends z.ZodTypeAny, Q extends z.ZodTypeAny, B extends z.ZodTypeAny>(
  req: Request,
  params: P,
  query: Q,
  body: B,
): { params: z.output<P>; query: z.output<Q>; body: z.output<B> } {
  return parseInput(
    z.object({ params, query, body }) as unknown as z.ZodType<{
      params: z.output<P>;
      query: z.output<Q>;
      body: z.output<B>;
    }>,
    { params: req.params, query: req.query, body: req.body ?? {} },
    'request',
  );
}

/**
 * Admin JSON API for module authoring (docs/modules.md), behind the admin token:
 * `/admin/api/modules/tenants/:tenant/modules[/:moduleId[/draft|/publish|/versions/:v/export|/links]]`,
 * `.../modules/:moduleId/experiments[/:experimentId/stop]` and `/admin/api/modules/tenants/:tenant/imports`.
 */
export function moduleAdminRoutes(deps: {
  modules: ModuleAuthoringService;
  experiments: ModuleExperimentService;
  tenants: TenantService;
  guard: RequestHandler;
  bodyLimitBytes: number;
}): Router {
  const router = Router();
  const base = `${MODULES_API}/tenants/:tenant`;
  router.use(MODULES_API, deps.guard, express.json({ limit: deps.bodyLimitBytes, strict: false }));
  const tenantId = async (name: string) => (await deps.tenants.getByName(name)).id;

  router.get(
    `${base}/modules`,
    route(async (req, res) => {
      const { params } = input(req, tenantParams, noQuery, z.unknown());
      res.json(await deps.modules.list(await tenantId(params.tenant)));
    }),
  );

  router.post(
    `${base}/modules`,
    route(async (req, res) => {
      const { params, body } = input(req, tenantParams, noQuery, createBody);
      const created = await deps.modules.create(await tenantId(params.tenant), body);
      res
        .status(201)
        .location(`${MODULES_API}/tenants/${encodeURIComponent(params.tenant)}/modules/${created.id}`)
        .json(created);
    }),
  );

  router.get(
    `${base}/modules/:moduleId`,
    route(async (req, res) => {
      const { params } = input(req, moduleParams, noQuery, z.unknown());
      res.json(await deps.modules.get(await tenantId(params.tenant), params.moduleId));
    }),
  );

  router.put(
    `${base}/modules/:moduleId/draft`,
    route(async (req, res) => {
      const { params, body } = input(req, moduleParams, noQuery, draftBody);
      res.json(await deps.modules.saveDraft(await tenantId(params.tenant), params.moduleId, body.content));
    }),
  );

  router.post(
    `${base}/modules/:moduleId/publish`,
    route(async (req, res) => {
      const { params } = input(req, moduleParams, noQuery, z.unknown());
      res.json(await deps.modules.publish(await tenantId(params.tenant), params.moduleId));
    }),
  );

  const sendExport = async (
    tenant: string,
    moduleId: string,
    version: number | undefined,
    res: express.Response,
  ) => {
    const file = await deps.modules.exportVersion(await tenantId(tenant), moduleId, version);
    res
      .attachment(`module-${file.moduleId}-v${file.version}.json`)
      .type('application/json')
      .send(`${JSON.stringify(file, null, 2)}\n`);
  };

  router.get(
    `${base}/modules/:moduleId/export`,
    route(async (req, res) => {
      const { params } = input(req, moduleParams, noQuery, z.unknown());
      await sendExport(params.tenant, params.moduleId, undefined, res);
    }),
  );

  router.get(
    `${base}/modules/:moduleId/versions/:version/export`,
    route(async (req, res) => {
      const { params } = input(req, versionParams, noQuery, z.unknown());
      await sendExport(params.tenant, params.moduleId, params.version, res);
    }),
  );

  router.post(
    `${base}/imports`,
    route(async (req, res) => {
      const { params, query } = input(req, tenantParams, importQuery, z.unknown());
      const result = await deps.modules.importModule(await tenantId(params.tenant), req.body, query);
      res.status(201).json(result);
    }),
  );

  router.get(
    `${base}/modules/:moduleId/links`,
    route(async (req, res) => {
      const { params } = input(req, moduleParams, noQuery, z.unknown());
      res.json(await deps.modules.links(await tenantId(params.tenant), params.moduleId));
    }),
  );

  router.post(
    `${base}/modules/:moduleId/links`,
    route(async (req, res) => {
      const { params, body } = input(req, moduleParams, noQuery, linkBody);
      await deps.modules.link(
        await tenantId(params.tenant),
        params.moduleId,
        body.contextId,
        body.resourceLinkId,
      );
      res.status(204).end();
    }),
  );

  router.get(
    `${base}/modules/:moduleId/experiments`,
    route(async (req, res) => {
      const { params } = input(req, moduleParams, noQuery, z.unknown());
      const tenant = await tenantId(params.tenant);
      await deps.modules.get(tenant, params.moduleId);
      const experiments = await deps.experiments.list(tenant, params.moduleId);
      res.json(await Promise.all(experiments.map((e) => deps.experiments.results(tenant, e.id))));
    }),
  );

  router.post(
    `${base}/modules/:moduleId/experiments`,
    route(async (req, res) => {
      const { params, body } = input(req, moduleParams, noQuery, experimentBody);
      res
        .status(201)
        .json(await deps.experiments.create(await tenantId(params.tenant), params.moduleId, body));
    }),
  );

  router.post(
    `${base}/modules/:moduleId/experiments/:experimentId/stop`,
    route(async (req, res) => {
      const { params } = input(req, experimentParams, noQuery, z.unknown());
      const tenant = await tenantId(params.tenant);
      const e = await deps.experiments.get(tenant, params.experimentId);
      if (e.moduleId !== params.moduleId)
        throw new NotFoundError('That experiment does not belong to this module.');
      res.json(await deps.experiments.stop(tenant, params.experimentId));
    }),
  );

  return router;
}
