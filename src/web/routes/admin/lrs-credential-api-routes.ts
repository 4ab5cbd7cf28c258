import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import type { LrsCredentialService } from '../../../xapi/credentials/credential-service.js';

const createSchema = z
  .object({
    tenant: z.string().min(1),
    scopes: z.array(z.string()).min(1),
    name: z.string().max(200).optional(),
  })
  .strict();

const listSchema = z.object({ tenant: z.string().min(1) }).strict();

/** Admin JSON API for LRS credentials: create (returns the secret once), list, revoke. */
export function lrsCredentialAdminRoutes(deps: {
  credentials: LrsCredentialService;
  guard: RequestHandler;
  publicUrl: string;
}): Router {
  const router = Router();
  const base = '/admin/api/lrs-credentials';
  const endpoint = `${deps.publicUrl.replace(/\/+$/, '')}/xapi/`;
  router.use(base, deps.guard, express.json({ limit: '16kb' }));
  router.post(
    base,
    route(async (req, res) => {
      const input = parseInput(createSchema, req.body, 'request');
      const created = await deps.credentials.create({ ...input, homePage: deps.publicUrl });
      res
        .status(201)
        .json({ key: created.key, secret: created.secret, endpoint, credential: created.credential });
    }),
  );
  router.get(
    base,
    route(async (req, res) => {
      const { tenant } = parseInput(listSchema, req.query, 'request');
      res.json(await deps.credentials.list(tenant));
    }),
  );
  router.post(
    `${base}/:key/revoke`,
    route(async (req, res) => {
      res.json(await deps.credentials.revoke(req.params.key!));
    }),
  );
  return router;
}
