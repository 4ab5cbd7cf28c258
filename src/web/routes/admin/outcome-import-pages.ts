import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { AppError, ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { TenantService } from '../../../tenants/tenant-service.js';
import type { OutcomeImportService } from '../../../outcomes/outcome-import-service.js';
import { outcomeKinds } from '../../../outcomes/kinds/index.js';
import { progressFraction } from '../../../outcomes/outcome-import-service.js';
import type { QualityReport } from '../../../outcomes/quality-report.js';
import type { OutcomeImport } from '../../../outcomes/model.js';
import { parseInput } from '../../../validation.js';
import type { PageAccess } from '../programs/program-pages.js';
import { nav } from '../programs/program-page-support.js';
import { withBody } from './outcome-api-routes.js';
import { jsonForScript } from '../../view-helpers.js';

const BASE = '/admin/outcome-imports';
const createBody = z
  .object({
    kind: z.enum(Object.keys(outcomeKinds) as [string, ...string[]], {
      message: 'choose what the file holds',
    }),
    fileName: z.string().max(300).optional(),
    sizeBytes: z.number().int().min(0).optional(),
    mapping: z.record(z.string(), z.string()).default({}),
    createMissingPeople: z.boolean().default(false),
    /** "field=share" pairs, comma or space separated: null-rate thresholds to override. */
    nullRates: z.string().max(2000).default(''),
  })
  .strict();
const idParams = z.object({ id: z.string().uuid('not an import id') });

function status(imp: OutcomeImport) {
  return {
    id: imp.id,
    status: imp.status,
    failure: imp.failure,
    progress: {
      fraction: progressFraction(imp),
      bytesRead: imp.bytesRead,
      bytesTotal: imp.bytesTotal,
      rowsParsed: imp.rowsParsed,
      rowsInvalid: imp.rowsInvalid,
    },
    page: `${BASE}/${imp.id}`,
  };
}

/** What the outcome import pages use. */
export interface OutcomeImportPageDeps {
  programs: ProgramService;
  tenants: TenantService;
  outcomeImports: OutcomeImportService;
  access: PageAccess;
  publicUrl: string;
}

/**
 * Admin pages for outcome imports inside the LMS: pick the kind and a CSV, map its columns (the page
 * reads the header in the browser), upload with a progress bar (the upload streams into staging while
 * the page polls a JSON status), read the data-quality report, accept.
 */
export function outcomeImportPages(deps: OutcomeImportPageDeps): Router {
  const router = Router();
  const { access } = deps;
  const json = express.json({ limit: '64kb' });
  const actor = async (res: Response) =>
    `page:${(await deps.tenants.getById(access.tenantId(res))).name}-admin`;
  const load = async (res: Response, params: unknown) => {
    const { id } = parseInput(idParams, params, 'address');
    return deps.outcomeImports.get(access.tenantId(res), id);
  };

  router.get(
    BASE,
    access.guard,
    route(async (_req, res) => {
      const imports = await deps.outcomeImports.list(access.tenantId(res), 20);
      res.render('pages/programs/imports', {
        title: 'Outcome imports',
        ...nav(null, 'imports'),
        kinds: Object.values(outcomeKinds).map((k) => ({
          name: k.name,
          title: k.title,
          description: k.description,
        })),
        kindFields: jsonForScript(
          Object.fromEntries(
            Object.values(outcomeKinds).map((k) => [
              k.name,
              k.fields.map((f) => ({ name: f.name, required: f.required })),
            ]),
          ),
        ),
        imports: imports.map((i) => ({
          id: i.id,
          kind: i.kind,
          fileName: i.fileName ?? '(rows)',
          status: i.status,
          createdAt: i.createdAt.toISOString().slice(0, 16).replace('T', ' '),
          rows: i.rowsParsed,
        })),
      });
    }),
  );

  /** Step 1 (from the page's script): register the import with its mapping and size. */
  router.post(
    BASE,
    access.guard,
    json,
    route(async (req, res) => {
      const body = parseInput(createBody, req.body, 'import');
      const mapping = Object.fromEntries(Object.entries(body.mapping).filter(([, f]) => f !== ''));
      const pairs = body.nullRates.split(/[\s,]+/).filter(Boolean);
      const bad = pairs.filter((p) => !/^[a-z_]+=(0(\.\d+)?|1(\.0+)?)$/.test(p));
      if (bad.length)
        throw new ValidationError(
          `Write each null-rate override as field=share from 0 to 1: ${bad.join(', ')}.`,
          [{ path: 'nullRates', message: 'use field=share, e.g. contribution_amount=1' }],
        );
      const thresholds = Object.fromEntries(pairs.map((p) => [p.split('=')[0]!, Number(p.split('=')[1])]));
      const imp = await deps.outcomeImports.create({
        tenantId: access.tenantId(res),
        kind: body.kind,
        source: 'csv',
        fileName: body.fileName ?? null,
        mapping,
        options: {
          createMissingPeople: body.createMissingPeople,
          ...(pairs.length ? { nullRateThresholds: thresholds } : {}),
        },
        bytesTotal: body.sizeBytes ?? null,
        actor: await actor(res),
      });
      res.status(201).json(status(imp));
    }),
  );

  /** Step 2: the CSV itself, streamed into staging; the page polls the status meanwhile. */
  router.post(
    `${BASE}/:id/file`,
    access.guard,
    route(async (req, res) => {
      if (!req.is(['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel']))
        throw new AppError('unsupported_media_type', 'Send the file as text/csv.');
      const imp = await load(res, req.params);
      const n = Number(req.get('content-length'));
      const staged = await withBody(req, (body) =>
        deps.outcomeImports.stageCsv(access.tenantId(res), imp.id, body, Number.isFinite(n) ? n : null),
      );
      res.json(status(staged));
    }),
  );

  router.get(
    `${BASE}/:id/status`,
    access.guard,
    route(async (req, res) => {
      res.set('Cache-Control', 'no-store').json(status(await load(res, req.params)));
    }),
  );

  const render = async (res: Response, imp: OutcomeImport, extra: Record<string, unknown> = {}) => {
    const report = imp.report as QualityReport | null;
    const invalid =
      imp.status === 'staged'
        ? await deps.outcomeImports.rows(access.tenantId(res), imp.id, { invalidOnly: true, limit: 20 })
        : [];
    res.render('pages/programs/import', {
      title: `Outcome import ${imp.fileName ?? imp.id}`,
      ...nav(null, 'imports'),
      imp: {
        id: imp.id,
        kind: imp.kind,
        fileName: imp.fileName ?? '(rows)',
        status: imp.status,
        failure: imp.failure,
        staged: imp.status === 'staged',
        accepted: imp.status === 'accepted',
        applied: imp.applied,
      },
      report: report && {
        rows: report.rows,
        mapped: Object.entries(report.columns.mapped).map(([header, field]) => ({ header, field })),
        ignored: report.columns.ignored.join(', '),
        nullRates: report.nullRates,
        blocking: report.blocking,
        warnings: report.warnings,
        acceptable: report.acceptable,
      },
      invalid: invalid.map((r) => ({ row: r.rowNumber, errors: r.errors.map((e) => e.message).join('; ') })),
      ...extra,
    });
  };

  router.get(
    `${BASE}/:id`,
    access.guard,
    route(async (req, res) => {
      await render(res, await load(res, req.params), { notice: req.query.accepted ? 'Accepted.' : null });
    }),
  );

  router.post(
    `${BASE}/:id/accept`,
    access.guard,
    route(async (req, res) => {
      const imp = await load(res, req.params);
      try {
        await deps.outcomeImports.accept(access.tenantId(res), imp.id, await actor(res));
        res.redirect(303, `${BASE}/${imp.id}?accepted=1`);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'precondition_failed') throw err;
        res.status(412);
        await render(res, await load(res, req.params), { errorSummary: err.message });
      }
    }),
  );

  return router;
}
