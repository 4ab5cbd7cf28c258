import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { AppError, ValidationError } from '../../../errors.js';
import type { ModuleAuthoringService } from '../../../learning/authoring/module-authoring-service.js';
import type { ModuleExperimentService } from '../../../learning/experiments/module-experiment-service.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { PageAccess } from '../programs/program-pages.js';
import { parseMultipartMixed } from '../../../xapi/rules/multipart.js';
import { checkModuleContent, type FieldError } from '../../../learning/authoring/module-content-schema.js';
import { applyEditorAction, draftFromForm, type FormFields } from '../../presenters/module-form.js';
import { presentDraftEditor } from '../../presenters/module-editor-presenter.js';
import { presentModulePage, presentModuleList } from '../../presenters/module-page-presenter.js';

const moduleParams = z.object({ moduleId: z.string().uuid() });
const versionParams = moduleParams.extend({ version: z.coerce.number().int().min(1) });
const experimentParams = moduleParams.extend({ experimentId: z.string().uuid() });

function paramsOf<T extends z.ZodTypeAny>(schema: T, req: Request): z.output<T> {
  const parsed = schema.safeParse(req.params);
  if (!parsed.success)
    throw new ValidationError('That address does not name a module; pick one from the list.');
  return parsed.data;
}

const fieldErrors = (err: AppError): FieldError[] =>
  err.details.map((d) => ({ path: d.path ?? '', message: d.message }));

/** The import form's fields: the pasted JSON, or an uploaded file (multipart/form-data). */
function importedText(req: Request): string {
  if (Buffer.isBuffer(req.body)) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.get('content-type') ?? '');
    const parsed = boundary ? parseMultipartMixed(req.body, boundary[1] ?? boundary[2]!) : undefined;
    if (!parsed?.ok) throw new ValidationError('The upload could not be read; choose the file again.');
    const part = (name: string) =>
      parsed.parts.find((p) =>
        new RegExp(`(^|;)\\s*name="${name}"`).test(p.headers['content-disposition'] ?? ''),
      );
    const file = part('file')?.body.toString('utf8') ?? '';
    return file.trim() ? file : (part('json')?.body.toString('utf8') ?? '');
  }
  return typeof req.body?.json === 'string' ? req.body.json : '';
}

/** Domain errors a module form shows next to its fields: bad input, or a name or state clash. */
const FORM_ERRORS = ['invalid', 'conflict'];

/**
 * Runs a form's action (which answers with a redirect); when it fails with a domain error whose code is
 * in `codes`, answers with `show(err)` instead (the page again, with the message and the fields'
 * errors). Any other error goes on to the error handler.
 */
async function orShow(
  action: () => Promise<void>,
  codes: readonly string[],
  show: (err: AppError) => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof AppError) || !codes.includes(err.code)) throw err;
    await show(err);
  }
}

/** What the module authoring pages use. */
export interface ModulePageDeps {
  modules: ModuleAuthoringService;
  moduleExperiments: ModuleExperimentService;
  programs: ProgramService;
  access: PageAccess;
  publicUrl: string;
  bodyLimitBytes: number;
}

/**
 * Admin authoring pages inside the LMS frame (issue #6): module list and creation, a module's versions,
 * the draft editor, publishing, JSON import and export, and content experiments.
 */
export function modulePages(deps: ModulePageDeps): Router {
  const router = Router();
  const { access } = deps;
  // The editor posts every field of a module; qs-style nesting is not used (names are JSON paths).
  const form = express.urlencoded({ extended: false, limit: deps.bodyLimitBytes, parameterLimit: 20000 });
  const upload = express.raw({ type: 'multipart/form-data', limit: deps.bodyLimitBytes });
  const base = '/admin/modules';

  const renderList = async (
    res: Response,
    tenantId: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const [modules, programs] = await Promise.all([
      deps.modules.list(tenantId),
      deps.programs.list(tenantId),
    ]);
    res.status(status).render('pages/modules/index', presentModuleList(modules, programs, extra));
  };

  const renderModule = async (
    res: Response,
    tenantId: string,
    moduleId: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const detail = await deps.modules.get(tenantId, moduleId);
    const [programs, experiments, links] = await Promise.all([
      deps.programs.list(tenantId),
      deps.moduleExperiments.list(tenantId, moduleId),
      deps.modules.links(tenantId, moduleId),
    ]);
    const results = await Promise.all(experiments.map((e) => deps.moduleExperiments.results(tenantId, e.id)));
    res
      .status(status)
      .render('pages/modules/module', presentModulePage(detail, programs, results, links, extra));
  };

  const renderEditor = async (
    res: Response,
    tenantId: string,
    moduleId: string,
    draft: Record<string, unknown>,
    extra: { errors?: FieldError[]; notice?: string; status?: number } = {},
  ) => {
    const { module, versions } = await deps.modules.get(tenantId, moduleId);
    const current = versions.find((v) => v.status === 'draft');
    const basedOn = versions.filter((v) => v.status === 'published').at(-1);
    res.status(extra.status ?? 200).render('pages/modules/editor', {
      title: `Edit: ${module.title}`,
      module,
      draftVersion: current?.version ?? null,
      basedOn: current ? null : (basedOn?.version ?? null),
      notice: extra.notice,
      ...presentDraftEditor(draft, extra.errors ?? []),
    });
  };

  router.get(
    base,
    access.guard,
    route(async (_req, res) => renderList(res, access.tenantId(res))),
  );

  router.post(
    base,
    access.guard,
    form,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const input = { title: String(req.body?.title ?? ''), programId: req.body?.programId || null };
      await orShow(
        async () => {
          const created = await deps.modules.create(tenantId, input);
          res.redirect(303, `${base}/${created.id}/draft`);
        },
        FORM_ERRORS,
        (err) =>
          renderList(
            res,
            tenantId,
            { createErrors: fieldErrors(err), createMessage: err.message, typed: input },
            400,
          ),
      );
    }),
  );

  router.post(
    `${base}/import`,
    access.guard,
    form,
    upload,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const text = importedText(req);
      await orShow(
        async () => {
          const { module } = await deps.modules.importModule(tenantId, text);
          res.redirect(303, `${base}/${module.id}`);
        },
        FORM_ERRORS,
        (err) =>
          renderList(
            res,
            tenantId,
            { importErrors: fieldErrors(err), importMessage: err.message, importText: text },
            400,
          ),
      );
    }),
  );

  router.get(
    `${base}/:moduleId`,
    access.guard,
    route(async (req, res) =>
      renderModule(res, access.tenantId(res), paramsOf(moduleParams, req).moduleId, {
        // Only a version number is echoed back from the address.
        published: z.coerce.number().int().min(1).safeParse(req.query.published).data,
      }),
    ),
  );

  router.post(
    `${base}/:moduleId/metadata`,
    access.guard,
    form,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const { moduleId } = paramsOf(moduleParams, req);
      const input = { title: String(req.body?.title ?? ''), programId: req.body?.programId || null };
      await orShow(
        async () => {
          await deps.modules.updateMetadata(tenantId, moduleId, input);
          res.redirect(303, `${base}/${moduleId}`);
        },
        FORM_ERRORS,
        (err) =>
          renderModule(
            res,
            tenantId,
            moduleId,
            { metadataErrors: fieldErrors(err), metadataMessage: err.message, typed: input },
            400,
          ),
      );
    }),
  );

  router.post(
    `${base}/:moduleId/publish`,
    access.guard,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const { moduleId } = paramsOf(moduleParams, req);
      await orShow(
        async () => {
          const published = await deps.modules.publish(tenantId, moduleId);
          res.redirect(303, `${base}/${moduleId}?published=${published.version}`);
        },
        [...FORM_ERRORS, 'precondition_failed'],
        (err) =>
          renderModule(
            res,
            tenantId,
            moduleId,
            { publishMessage: err.message, publishErrors: fieldErrors(err) },
            err.code === 'invalid' ? 400 : 412,
          ),
      );
    }),
  );

  router.post(
    `${base}/:moduleId/import`,
    access.guard,
    form,
    upload,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const { moduleId } = paramsOf(moduleParams, req);
      const text = importedText(req);
      await orShow(
        async () => {
          await deps.modules.importModule(tenantId, text, { moduleId });
          res.redirect(303, `${base}/${moduleId}/draft`);
        },
        ['invalid'],
        (err) =>
          renderModule(
            res,
            tenantId,
            moduleId,
            { importErrors: fieldErrors(err), importMessage: err.message, importText: text },
            400,
          ),
      );
    }),
  );

  router.get(
    `${base}/:moduleId/versions/:version/export`,
    access.guard,
    route(async (req, res) => {
      const { moduleId, version } = paramsOf(versionParams, req);
      const file = await deps.modules.exportVersion(access.tenantId(res), moduleId, version);
      res
        .attachment(`module-${file.moduleId}-v${file.version}.json`)
        .type('application/json')
        .send(`${JSON.stringify(file, null, 2)}\n`);
    }),
  );

  router.get(
    `${base}/:moduleId/draft`,
    access.guard,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const { moduleId } = paramsOf(moduleParams, req);
      const { versions } = await deps.modules.get(tenantId, moduleId);
      const source =
        versions.find((v) => v.status === 'draft') ?? versions.filter((v) => v.status === 'published').at(-1);
      const draft = (source?.content as unknown as Record<string, unknown>) ?? {
        pages: [{ id: 'page-1', title: '', format: 'markdown', body: '' }],
      };
      await renderEditor(res, tenantId, moduleId, structuredClone(draft), {
        notice: req.query.saved ? 'Draft saved.' : undefined,
      });
    }),
  );

  router.post(
    `${base}/:moduleId/draft`,
    access.guard,
    form,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const { moduleId } = paramsOf(moduleParams, req);
      const fields = (req.body ?? {}) as FormFields;
      const draft = draftFromForm(fields);
      const action = typeof fields.action === 'string' ? fields.action : 'save';
      if (action !== 'save') {
        if (!applyEditorAction(draft, action, fields))
          throw new ValidationError('That editor button is not known; reload the page.');
        return renderEditor(res, tenantId, moduleId, draft, {
          notice: 'Not saved yet: press "Save draft" to keep these changes.',
        });
      }
      const checked = checkModuleContent(draft);
      if (!checked.ok)
        return renderEditor(res, tenantId, moduleId, draft, { errors: checked.errors, status: 400 });
      await deps.modules.saveDraft(tenantId, moduleId, checked.content);
      res.redirect(303, `${base}/${moduleId}/draft?saved=1`);
    }),
  );

  router.post(
    `${base}/:moduleId/experiments`,
    access.guard,
    form,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const { moduleId } = paramsOf(moduleParams, req);
      const b = req.body ?? {};
      const input = {
        name: String(b.name ?? ''),
        armAVersion: b.armAVersion,
        armBVersion: b.armBVersion,
        allocationA: b.allocationA === '' || b.allocationA === undefined ? undefined : b.allocationA,
        seed: b.seed === '' || b.seed === undefined ? undefined : b.seed,
      };
      await orShow(
        async () => {
          await deps.moduleExperiments.create(tenantId, moduleId, input);
          res.redirect(303, `${base}/${moduleId}#experiments`);
        },
        FORM_ERRORS,
        (err) =>
          renderModule(
            res,
            tenantId,
            moduleId,
            { experimentErrors: fieldErrors(err), experimentMessage: err.message, typedExperiment: input },
            400,
          ),
      );
    }),
  );

  router.post(
    `${base}/:moduleId/experiments/:experimentId/stop`,
    access.guard,
    route(async (req, res) => {
      const tenantId = access.tenantId(res);
      const { moduleId, experimentId } = paramsOf(experimentParams, req);
      const e = await deps.moduleExperiments.get(tenantId, experimentId);
      if (e.moduleId !== moduleId) throw new ValidationError('That experiment belongs to another module.');
      await deps.moduleExperiments.stop(tenantId, experimentId);
      res.redirect(303, `${base}/${moduleId}#experiments`);
    }),
  );

  return router;
}
