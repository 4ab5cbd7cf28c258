import express, { Router, type Request } from 'express';
import { route } from '../../async-route.js';
import { AppError, ValidationError } from '../../../errors.js';
import type { ContentImport, ContentPackageService } from '../../../learning/cmi5/content-package-service.js';
import { parseMultipartMixed } from '../../../xapi/rules/multipart.js';
import type { PageAccess } from '../programs/program-pages.js';

const BASE = '/admin/content-packages';

/** What the package upload page uses. */
export interface ContentPackagePageDeps {
  contentPackages: ContentPackageService;
  access: PageAccess;
  /** The largest upload read, bytes (the package limit on the zip's size). */
  maxUploadBytes: number;
}

/** The zip of the form's `file` field (multipart/form-data); ValidationError when there is none. */
function uploadedZip(req: Request): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.get('content-type') ?? '');
  const parsed =
    Buffer.isBuffer(req.body) && boundary
      ? parseMultipartMixed(req.body, boundary[1] ?? boundary[2]!)
      : undefined;
  if (!parsed?.ok) throw new ValidationError('The upload could not be read; choose the zip file again.');
  const file = parsed.parts.find((p) => /(^|;)\s*name="file"/.test(p.headers['content-disposition'] ?? ''));
  if (!file?.body.length)
    throw new ValidationError('Choose the cmi5 zip file published from the authoring tool, then import.');
  return file.body;
}

const presentImport = (done: ContentImport) => ({
  moduleId: done.module.id,
  title: done.module.title,
  version: done.version.version,
  createdModule: done.createdModule,
  aus: done.aus.map((au) => ({
    title: au.title,
    blocks: au.blocks.join(' › '),
    moveOn: au.moveOn,
    masteryScore: au.masteryScore === undefined ? '' : `${Math.round(au.masteryScore * 100)}%`,
  })),
});

/**
 * The admin page that imports a cmi5 package (issue #19, docs/content-packages.md): a multipart form
 * with the zip, read in memory up to the package size limit; the result (module, version, AUs) or the
 * refusal with its reason. CSRF is checked by the session routes (the form's action carries the token).
 */
export function contentPackagePages(deps: ContentPackagePageDeps): Router {
  const router = Router();
  const { access } = deps;
  const upload = express.raw({ type: 'multipart/form-data', limit: deps.maxUploadBytes });
  const limitMb = Math.floor(deps.maxUploadBytes / (1024 * 1024));

  router.get(
    BASE,
    access.guard,
    route(async (_req, res) => {
      res.render('pages/content/upload', { title: 'Import a cmi5 package', limitMb });
    }),
  );

  router.post(
    BASE,
    access.guard,
    upload,
    route(async (req, res) => {
      try {
        const done = await deps.contentPackages.importPackage(access.tenantId(res), uploadedZip(req));
        res.status(201).render('pages/content/upload', {
          title: 'Import a cmi5 package',
          limitMb,
          imported: presentImport(done),
        });
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid', 'conflict', 'not_found'].includes(err.code)) throw err;
        res
          .status(err.code === 'conflict' ? 409 : err.code === 'not_found' ? 404 : 400)
          .render('pages/content/upload', { title: 'Import a cmi5 package', limitMb, refused: err.message });
      }
    }),
  );
  return router;
}
