import { PassThrough, type Readable } from 'node:stream';
import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ValidationError } from '../../../errors.js';
import type { OutcomeImportService, ImportOptions } from '../../../outcomes/outcome-import-service.js';
import type { PeopleImportService } from '../../../outcomes/people-import-service.js';
import { outcomeKinds } from '../../../outcomes/kinds/index.js';
import { parseMappingPairs } from '../../../outcomes/column-mapping.js';
import type { TenantService } from '../../../tenants/tenant-service.js';
import { route } from '../../async-route.js';
import { presentOutcomeImport } from '../../presenters/outcome-import-presenter.js';

export const OUTCOMES_API = '/admin/api/outcomes';

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const kindName = z.string().min(1);
const optionsSchema = z
  .object({
    createMissingPeople: z.boolean().optional(),
    nullRateThresholds: z.record(z.string(), z.number().min(0).max(1)).optional(),
  })
  .strict();

const tenantParams = z.object({ tenant: z.string().min(1) });
const importParams = tenantParams.extend({ id: z.string().uuid() });
const csvQuery = z
  .object({
    kind: kindName.optional(),
    map: list.optional(),
    fileName: z.string().max(300).optional(),
    createMissingPeople: flag.optional(),
    nullRate: list.optional(),
  })
  .strict();
const jsonBody = z
  .object({
    kind: kindName,
    mapping: z.record(z.string(), z.string()).optional(),
    options: optionsSchema.optional(),
    fileName: z.string().max(300).optional(),
    sizeBytes: z.number().int().min(0).optional(),
    rows: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

/** Parses params, query and body with one schema, or a ValidationError naming every bad part. */
function input<T extends z.ZodTypeAny>(schema: T, req: Request): z.infer<T> {
  const parsed = schema.safeParse({ params: req.params, query: req.query, body: req.body });
  if (!parsed.success)
    throw new ValidationError(
      `The request is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return parsed.data;
}

function isCsv(req: Request): boolean {
  return Boolean(req.is(['text/csv', 'text/plain', 'application/csv']));
}

function requireCsv(req: Request): void {
  if (!isCsv(req))
    throw new AppError(
      'unsupported_media_type',
      'Send the file as the request body with Content-Type: text/csv.',
    );
}

function contentLength(req: Request): number | null {
  const n = Number(req.get('content-length'));
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Query-string mapping (?map=header=field) and thresholds (?nullRate=field=0.3) to service input. */
function csvSettings(q: z.infer<typeof csvQuery>): {
  mapping: Record<string, string>;
  options: ImportOptions;
} {
  const thresholds = Object.fromEntries(
    Object.entries(parseMappingPairs(q.nullRate ?? [])).map(([f, v]) => [f, Number(v)]),
  );
  return {
    mapping: parseMappingPairs(q.map ?? []),
    options: {
      ...(q.createMissingPeople !== undefined ? { createMissingPeople: q.createMissingPeople } : {}),
      ...(q.nullRate ? { nullRateThresholds: thresholds } : {}),
    },
  };
}

/**
 * Streams the request body into `work`. If work fails before the body is read (bad mapping, bad CSV),
 * the rest of the upload is drained so the client still receives the error response.
 */
export async function withBody<T>(req: Request, work: (body: Readable) => Promise<T>): Promise<T> {
  const body = new PassThrough();
  req.pipe(body);
  try {
    return await work(body);
  } catch (err) {
    req.unpipe(body);
    req.resume();
    throw err;
  }
}

/**
 * The outcome-import API under /admin/api/outcomes (admin token required): create and stage imports
 * (a CSV body or JSON rows), poll status/progress/report, accept, list; and the people mapping import.
 */
export function outcomeRoutes(deps: {
  /** Guards the admin API (see app.ts). */
  guard: RequestHandler;
  bodyLimitBytes: number;
  tenants: TenantService;
  outcomeImports: OutcomeImportService;
  peopleImports: PeopleImportService;
}): Router {
  const router = Router();
  const json = express.json({ limit: deps.bodyLimitBytes });
  router.use(OUTCOMES_API, deps.guard);
  const base = (tenant: string) => `${OUTCOMES_API}/tenants/${encodeURIComponent(tenant)}`;
  const actor = (req: Request) => `api:${req.get('x-yardstick-actor') || 'admin'}`;

  router.get(`${OUTCOMES_API}/kinds`, (_req, res) => {
    res.json(
      Object.values(outcomeKinds).map((k) => ({
        name: k.name,
        title: k.title,
        description: k.description,
        naturalKey: k.keyFields,
        fields: k.fields,
      })),
    );
  });

  router.post(
    `${OUTCOMES_API}/tenants/:tenant/imports`,
    json,
    route(async (req, res) => {
      const tenantName = tenantParams.parse(req.params).tenant;
      const tenant = await deps.tenants.getByName(tenantName);
      let imp;
      if (isCsv(req)) {
        const { query } = input(z.object({ params: tenantParams, query: csvQuery, body: z.unknown() }), req);
        if (!query.kind)
          throw new ValidationError(
            'Name the outcome kind: ?kind=payroll (or plan_participation, claims, hris).',
          );
        const settings = csvSettings(query);
        imp = await withBody(req, async (body) => {
          const created = await deps.outcomeImports.create({
            tenantId: tenant.id,
            kind: query.kind!,
            source: 'csv',
            fileName: query.fileName ?? null,
            ...settings,
            bytesTotal: contentLength(req),
            actor: actor(req),
          });
          return deps.outcomeImports.stageCsv(tenant.id, created.id, body, contentLength(req));
        });
      } else if (req.is('application/json')) {
        const { body } = input(
          z.object({ params: tenantParams, query: z.object({}).strict(), body: jsonBody }),
          req,
        );
        const created = await deps.outcomeImports.create({
          tenantId: tenant.id,
          kind: body.kind,
          source: body.rows ? 'json' : 'csv',
          fileName: body.fileName ?? null,
          mapping: body.mapping,
          options: body.options,
          bytesTotal: body.sizeBytes ?? null,
          actor: actor(req),
        });
        imp = body.rows ? await deps.outcomeImports.stageRows(tenant.id, created.id, body.rows) : created;
      } else {
        throw new AppError(
          'unsupported_media_type',
          'Send a CSV file (Content-Type: text/csv, ?kind=...) or JSON ({"kind": ..., "rows": [...]}, or without rows to upload the file afterwards).',
        );
      }
      res
        .status(201)
        .location(`${base(tenantName)}/imports/${imp.id}`)
        .json(presentOutcomeImport(imp, base(tenantName)));
    }),
  );

  router.put(
    `${OUTCOMES_API}/tenants/:tenant/imports/:id/file`,
    route(async (req, res) => {
      requireCsv(req);
      const { params } = input(
        z.object({ params: importParams, query: z.object({}), body: z.unknown() }),
        req,
      );
      const tenant = await deps.tenants.getByName(params.tenant);
      const imp = await withBody(req, (body) =>
        deps.outcomeImports.stageCsv(tenant.id, params.id, body, contentLength(req)),
      );
      res.json(presentOutcomeImport(imp, base(params.tenant)));
    }),
  );

  router.get(
    `${OUTCOMES_API}/tenants/:tenant/imports`,
    route(async (req, res) => {
      const { params, query } = input(
        z.object({
          params: tenantParams,
          query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }).strict(),
          body: z.unknown(),
        }),
        req,
      );
      const tenant = await deps.tenants.getByName(params.tenant);
      const imports = await deps.outcomeImports.list(tenant.id, query.limit);
      res.json(imports.map((i) => presentOutcomeImport(i, base(params.tenant), { report: false })));
    }),
  );

  router.get(
    `${OUTCOMES_API}/tenants/:tenant/imports/:id`,
    route(async (req, res) => {
      const { params } = input(
        z.object({ params: importParams, query: z.object({}).strict(), body: z.unknown() }),
        req,
      );
      const tenant = await deps.tenants.getByName(params.tenant);
      res.json(
        presentOutcomeImport(await deps.outcomeImports.get(tenant.id, params.id), base(params.tenant)),
      );
    }),
  );

  router.get(
    `${OUTCOMES_API}/tenants/:tenant/imports/:id/rows`,
    route(async (req, res) => {
      const { params, query } = input(
        z.object({
          params: importParams,
          query: z
            .object({
              invalid: flag.optional(),
              after: z.coerce.number().int().min(0).optional(),
              limit: z.coerce.number().int().min(1).max(1000).optional(),
            })
            .strict(),
          body: z.unknown(),
        }),
        req,
      );
      const tenant = await deps.tenants.getByName(params.tenant);
      res.json(
        await deps.outcomeImports.rows(tenant.id, params.id, {
          invalidOnly: query.invalid,
          after: query.after,
          limit: query.limit,
        }),
      );
    }),
  );

  router.post(
    `${OUTCOMES_API}/tenants/:tenant/imports/:id/accept`,
    route(async (req, res) => {
      const { params } = input(
        z.object({ params: importParams, query: z.object({}).strict(), body: z.unknown() }),
        req,
      );
      const tenant = await deps.tenants.getByName(params.tenant);
      const imp = await deps.outcomeImports.accept(tenant.id, params.id, actor(req));
      res.json(presentOutcomeImport(imp, base(params.tenant)));
    }),
  );

  router.post(
    `${OUTCOMES_API}/tenants/:tenant/people/imports`,
    route(async (req, res) => {
      requireCsv(req);
      const { params } = input(
        z.object({ params: tenantParams, query: z.object({}).strict(), body: z.unknown() }),
        req,
      );
      const tenant = await deps.tenants.getByName(params.tenant);
      const result = await withBody(req, (body) => deps.peopleImports.importCsv(tenant.id, body));
      if (!result.applied)
        throw new ValidationError(
          `Nothing was imported: ${result.problems.join('; ')}. Fix these rows and upload the file again.`,
          result.problems.map((p) => ({ path: 'rows', message: p })),
        );
      res.json(result);
    }),
  );

  return router;
}
