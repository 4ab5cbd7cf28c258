import { Router } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { NotFoundError, ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { ProgramRoiReportService } from '../../../reports/program-roi-report-service.js';
import type { ChartCacheService } from '../../../reports/charts/chart-cache.js';
import type { ProgramRoiReport } from '../../../reports/program-roi-report-service.js';
import { presentProgramRoi, roiWaterfall } from '../../presenters/program-roi-presenter.js';
import type { PageAccess } from './program-pages.js';
import { nav, programOfRequest } from './program-page-support.js';

const KINDS: Record<string, string> = {
  manual: 'taken by hand',
  leading: 'weekly refresh (leading)',
  lagging: 'quarterly refresh (lagging)',
  demo: 'demo seed',
};

/** What the snapshot pages use. */
export interface ProgramSnapshotPageDeps {
  programs: ProgramService;
  roiReports: ProgramRoiReportService;
  chartCache: ChartCacheService;
  access: PageAccess;
  publicUrl: string;
}

/** Admin pages: a program's report snapshots (what was reported when), one snapshot, take one now. */
export function programSnapshotPages(deps: ProgramSnapshotPageDeps): Router {
  const router = Router();
  const { access } = deps;

  router.get(
    '/admin/programs/:programId/snapshots',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      const snapshots = await deps.roiReports.snapshots(tenantId, program.id);
      res.render('pages/programs/snapshots', {
        title: `${program.name}: snapshots`,
        ...nav(program, 'snapshots'),
        name: program.name,
        programId: program.id,
        snapshots: snapshots.map((s) => {
          const r = s.report as Partial<ProgramRoiReport>;
          return {
            id: s.id,
            takenAt: s.takenAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
            kind: KINDS[s.kind] ?? s.kind,
            scheduledFor: s.scheduledFor ?? '',
            dataAsOf: s.dataAsOf ?? 'unknown',
            roi: r.adjusted ? `${r.adjusted.roiPercent}%` : 'n/a',
            conservative: r.bootstrap ? `${r.bootstrap.conservativeRoiPercent}%` : 'n/a',
          };
        }),
      });
    }),
  );

  router.post(
    '/admin/programs/:programId/snapshots',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      await deps.roiReports.snapshot(tenantId, program);
      res.redirect(303, `/admin/programs/${program.id}/snapshots`);
    }),
  );

  router.get(
    '/admin/programs/:programId/snapshots/:snapshotId',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(
        deps.programs,
        access,
        { programId: req.params.programId },
        res,
      );
      const id = z.string().uuid().safeParse(req.params.snapshotId);
      if (!id.success) throw new ValidationError('That address does not name a snapshot.');
      const snap = await deps.roiReports.findSnapshot(tenantId, program.id, id.data);
      if (!snap) throw new NotFoundError('There is no such snapshot of this program.');
      const report = snap.report as ProgramRoiReport;
      res.render('pages/programs/roi', {
        ...presentProgramRoi(program, report),
        ...nav(program, 'snapshots'),
        title: `${program.name}: snapshot of ${snap.takenAt.toISOString().slice(0, 10)}`,
        snapshot: {
          takenAt: snap.takenAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
          kind: KINDS[snap.kind] ?? snap.kind,
          dataAsOf: snap.dataAsOf ?? 'unknown',
        },
        chart: await deps.chartCache.render(tenantId, roiWaterfall(report)),
      });
    }),
  );
  return router;
}
