import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { ValidationError } from '../../../errors.js';
import { parseInput } from '../../../validation.js';
import type { PersonDataService } from '../../../privacy/person-data-service.js';
import type { RetentionService } from '../../../privacy/retention-service.js';
import { RETENTION_KIND_TEXT, RETENTION_KINDS, type PersonSelector } from '../../../privacy/model.js';
import { nextDailyRun } from '../../../privacy/next-sweep.js';
import { formatCount, formatDateTime } from '../../presenters/format.js';
import { renderPersonExportHtml } from '../../documents/person-export-document.js';
import type { PageAccess } from '../programs/program-pages.js';

/** How the form names a person: one identifier, as the CLI takes it. */
const selectorForm = z.object({
  by: z.enum(['mbox', 'account', 'employeeId']),
  value: z.string().trim().min(1, 'give the identifier').max(500),
  homePage: z.string().trim().max(500).default(''),
});
const exportForm = selectorForm.extend({ format: z.enum(['json', 'html']).default('json') });
const eraseForm = selectorForm.extend({
  requested_by: z.string().trim().min(1, 'say who asked').max(200),
  approved_by: z.string().trim().min(1, 'say who approved').max(200),
  confirm: z.literal('yes', 'tick the box to confirm'),
});
const retentionForm = z.object({
  kind: z.enum(RETENTION_KINDS),
  days: z
    .string()
    .trim()
    .regex(/^(\d{1,5}|none)$/, 'a whole number of days, or none'),
  by: z.string().trim().min(1, 'say who sets it').max(200),
});

function selectorOf(f: z.infer<typeof selectorForm>): PersonSelector {
  if (f.by === 'mbox') return { kind: 'mbox', mbox: f.value };
  if (f.by === 'employeeId') return { kind: 'employeeId', employeeId: f.value };
  if (!f.homePage) throw new ValidationError('An xAPI account needs its home page as well as its name.');
  return { kind: 'account', homePage: f.homePage, name: f.value };
}

/** What the privacy admin page uses. */
export interface PrivacyPageDeps {
  privacy: PersonDataService;
  retention: RetentionService;
  access: PageAccess;
  /** config privacy.retentionSweepCron */
  sweepCron: string;
  now?: () => Date;
}

/**
 * The privacy admin page (issue #18, docs/privacy.md): find a person and list where they appear,
 * export everything about them (JSON, and a readable HTML summary to hand to the person), erase them (who asked, who approved, a confirmation), the
 * erasure requests so far, and the tenant's retention periods with the next sweep.
 */
export function privacyPages(deps: PrivacyPageDeps): Router {
  const router = Router();
  const { access } = deps;
  const base = '/admin/privacy';
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const now = deps.now ?? (() => new Date());

  async function render(res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const tenantId = access.tenantId(res);
    const [requests, shown] = await Promise.all([
      deps.privacy.requests(tenantId),
      deps.retention.show(tenantId),
    ]);
    const next = nextDailyRun(deps.sweepCron, now());
    res.status(status).render('pages/admin/privacy', {
      title: 'Privacy: find, export, erase',
      kinds: [
        { value: 'employeeId', label: 'Employee id' },
        { value: 'mbox', label: 'Email (mbox)' },
        { value: 'account', label: 'xAPI account name (with its home page)' },
      ],
      requests: requests.map((r) => ({
        id: r.id,
        requestedBy: r.requestedBy,
        approvedBy: r.approvedBy,
        at: formatDateTime(new Date(r.completedAt ?? r.requestedAt)),
        erased: formatCount(r.erased.reduce((s, e) => s + e.count, 0)),
      })),
      policies: RETENTION_KINDS.map((kind) => {
        const p = shown.policies.find((x) => x.kind === kind);
        return {
          kind,
          covers: RETENTION_KIND_TEXT[kind],
          kept: p ? `${formatCount(p.days)} days` : 'until erased',
          lastSwept: p?.lastSweptAt ? formatDateTime(new Date(p.lastSweptAt)) : 'not yet',
        };
      }),
      nextSweep: next
        ? formatDateTime(next)
        : deps.sweepCron
          ? `on the schedule "${deps.sweepCron}" (UTC)`
          : 'never: the sweep is disabled (config privacy.retentionSweepCron is empty)',
      deletion: shown.deletion ? { after: formatDateTime(new Date(shown.deletion.purgeAfter)) } : null,
      ...extra,
    });
  }

  router.get(
    base,
    access.guard,
    route(async (_req, res) => render(res)),
  );

  router.post(
    `${base}/find`,
    access.guard,
    form,
    route(async (req, res) => {
      const f = parseInput(selectorForm, req.body, 'form');
      const found = await deps.privacy.find(access.tenantId(res), selectorOf(f));
      await render(res, {
        asked: f,
        found: {
          places: found.locations.map((l) => ({ place: l.place, count: formatCount(l.count) })),
          lmsUsers: found.identity.ltiUsers.length,
          people: found.identity.people.length,
        },
      });
    }),
  );

  router.post(
    `${base}/export`,
    access.guard,
    form,
    route(async (req, res) => {
      const f = parseInput(exportForm, req.body, 'form');
      const exported = await deps.privacy.export(access.tenantId(res), selectorOf(f));
      const name = `person-export-${exported.exportedAt.slice(0, 10)}`;
      res.set('Cache-Control', 'no-store');
      if (f.format === 'html') {
        const html = await renderPersonExportHtml(exported);
        res.attachment(`${name}.html`);
        return void res.type('text/html').send(html);
      }
      res.attachment(`${name}.json`);
      res.type('application/json').send(`${JSON.stringify(exported, null, 2)}\n`);
    }),
  );

  router.post(
    `${base}/erase`,
    access.guard,
    form,
    route(async (req, res) => {
      const f = parseInput(eraseForm, req.body, 'form');
      const result = await deps.privacy.erase(access.tenantId(res), selectorOf(f), {
        requestedBy: f.requested_by,
        approvedBy: f.approved_by,
      });
      await render(res, {
        erased: {
          requestId: result.requestId,
          tombstones: result.tombstones,
          places: result.erased.map((l) => ({ place: l.place, count: formatCount(l.count) })),
        },
      });
    }),
  );

  router.post(
    `${base}/retention`,
    access.guard,
    form,
    route(async (req, res) => {
      const f = parseInput(retentionForm, req.body, 'form');
      await deps.retention.set(access.tenantId(res), f.kind, f.days === 'none' ? null : Number(f.days), f.by);
      await render(res, { saved: `Retention of ${f.kind} set.` });
    }),
  );

  return router;
}
