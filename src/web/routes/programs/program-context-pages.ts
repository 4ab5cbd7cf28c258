import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { ProgramEconomicsService } from '../../../cohorts/program-economics-service.js';
import type { Program } from '../../../cohorts/model.js';
import type { PageAccess } from './program-pages.js';
import {
  fieldErrors,
  nav,
  programFormPost,
  programOfRequest,
  type ProgramFormPost,
} from './program-page-support.js';

const text = z.string().trim().default('');
const evidenceForm = z.object({ kind: text, title: text, body: text, author: text, recordedOn: text });
const eventForm = z.object({
  startsOn: text,
  endsOn: text,
  title: text,
  description: text,
  tenantWide: text,
});
const KINDS = [
  ['manager_note', 'Manager note'],
  ['case_study', 'Case write-up'],
  ['quote', 'Quote'],
  ['other', 'Other'],
] as const;

/** What the program context pages use. */
export interface ProgramContextPageDeps {
  programs: ProgramService;
  economics: ProgramEconomicsService;
  access: PageAccess;
  publicUrl: string;
}

/** Admin page: qualitative evidence beside the numbers, and confounding events with their dates. */
export function programContextPages(deps: ProgramContextPageDeps): Router {
  const router = Router();
  const { access } = deps;
  const body = express.urlencoded({ extended: false, limit: '128kb' });
  const path = (id: string) => `/admin/programs/${id}/context`;

  async function page(
    res: Response,
    tenantId: string,
    program: Program,
    extra: Record<string, unknown> = {},
  ) {
    const [evidence, events] = await Promise.all([
      deps.economics.evidence(tenantId, program.id),
      deps.economics.events(tenantId, program.id),
    ]);
    res.render('pages/programs/context', {
      title: `${program.name}: evidence and events`,
      ...nav(program, 'context'),
      name: program.name,
      programId: program.id,
      kinds: KINDS.map(([value, label]) => ({ value, label })),
      evidence: evidence.map((e) => ({ ...e, kind: KINDS.find(([k]) => k === e.kind)?.[1] ?? e.kind })),
      events: events.map((e) => ({
        title: e.title,
        description: e.description,
        when: e.endsOn ? `${e.startsOn} to ${e.endsOn}` : `from ${e.startsOn}`,
        scope: e.programId ? 'this program' : 'every program',
      })),
      errors: {},
      ...extra,
    });
  }

  router.get(
    '/admin/programs/:programId/context',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      await page(res, tenantId, program, { notice: req.query.saved ? 'Saved.' : null });
    }),
  );

  const post = <F>(spec: ProgramFormPost<F>) => route(programFormPost(deps.programs, access, spec));

  router.post(
    '/admin/programs/:programId/evidence',
    access.guard,
    body,
    post({
      schema: evidenceForm,
      async save(tenantId, program, f) {
        await deps.economics.addEvidence(tenantId, program.id, {
          kind: f.kind as 'manager_note',
          title: f.title,
          body: f.body,
          author: f.author,
          recordedOn: f.recordedOn || undefined,
        });
        return `${path(program.id)}?saved=evidence`;
      },
      rejected(res, tenantId, program, f, err) {
        const e = fieldErrors(err);
        return page(res, tenantId, program, {
          evidenceForm: f,
          evidenceErrors: e.errors,
          errorSummary: e.errorSummary,
        });
      },
    }),
  );

  router.post(
    '/admin/programs/:programId/events',
    access.guard,
    body,
    post({
      schema: eventForm,
      async save(tenantId, program, f) {
        await deps.economics.addEvent(tenantId, program.id, {
          startsOn: f.startsOn,
          endsOn: f.endsOn || undefined,
          title: f.title,
          description: f.description,
          tenantWide: f.tenantWide === 'yes',
        });
        return `${path(program.id)}?saved=event`;
      },
      rejected(res, tenantId, program, f, err) {
        const e = fieldErrors(err, { '(input)': 'endsOn' });
        return page(res, tenantId, program, {
          eventForm: f,
          eventErrors: e.errors,
          errorSummary: e.errorSummary,
        });
      },
    }),
  );
  return router;
}
