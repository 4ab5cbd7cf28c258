import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ConflictError, ValidationError } from '../../../errors.js';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import type { LearningServices } from '../../../learning/flow/learning-services.js';
import type { ObservationService } from '../../../learning/flow/observation-service.js';
import type { LtiSession } from '../../../lti/model.js';
import type { PageGuard } from '../../middleware/page-access.js';
import { sessionOf } from '../../middleware/lti-session.js';
import type { Answers } from '../../../learning/flow/scoring.js';
import { presentResults, presentStep } from '../../presenters/learner-presenter.js';

const linkParams = z.object({ linkId: z.string().min(1).max(255) });
const attemptBody = z.object({ attempt: z.string().uuid() });
const stepBody = z.object({ attempt: z.string().uuid(), step: z.coerce.number().int().min(0).max(10000) });
const bindBody = z.object({ moduleId: z.string().uuid() });
const observeBody = z.object({ observation: z.string().uuid(), learner: z.string().uuid() });

const wantsHtml = (req: Request) => req.accepts(['json', 'html']) === 'html';

/** Splits "a.<id>" answer fields from the control fields; any other field is refused. */
function answersOf(body: Record<string, unknown>, control: string[]): Answers {
  const answers: Answers = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (control.includes(key)) continue;
    if (!key.startsWith('a.') || !(typeof value === 'string' || Array.isArray(value))) {
      unknown.push(key);
      continue;
    }
    answers[key.slice(2)] = Array.isArray(value) ? value.map(String) : value;
  }
  if (unknown.length)
    throw new ValidationError(
      `The form carries fields it should not: ${unknown.join(', ')}; reload the page.`,
      [...unknown.map((path) => ({ path, message: 'unknown field' }))],
    );
  return answers;
}

/** What the learner pages use: the learner side of modules and a page guard. */
export interface LearnerPageDeps {
  learning: Pick<LearningServices, 'flow' | 'observations' | 'settings' | 'cmi5' | 'auSessions'>;
  guard: PageGuard;
  publicUrl: string;
}

/**
 * The learner pages inside the LMS iframe (issue #6): a launch lands on /learn/:linkId, every answer
 * posts back with the attempt and step it answers, then the page redirects (post/redirect/get).
 */
export function learnerPages(deps: LearnerPageDeps): Router {
  const router = Router();
  const { flow, observations, settings } = deps.learning;
  const guard = deps.guard('learner', 'instructor', 'admin', 'other');
  const staff = deps.guard('instructor', 'admin');
  const form = express.urlencoded({ extended: false, limit: '100kb' });
  const here = (linkId: string) => `/learn/${encodeURIComponent(linkId)}`;

  async function renderState(
    res: Response,
    s: LtiSession,
    linkId: string,
    failed?: { errors: ValidationError; answers: Answers },
  ) {
    const state = await flow.enter(s, linkId);
    const launch = s.launch as { contextTitle?: string };
    const staffRole = s.roleKind === 'instructor' || s.roleKind === 'admin';
    const common = {
      context: launch.contextTitle,
      learnerScript: true,
      heartbeatSeconds: Math.min(30, Math.max(5, Math.floor(settings.idleCapSeconds / 2))),
      staff: staffRole,
      courseReport: staffRole && s.contextId ? `/courses/${s.contextId}/report` : undefined,
      // The learner's own progress across the course (kpi-report-pages.ts admits these roles).
      progressPage:
        s.contextId && s.roleKind !== 'other'
          ? `/courses/${encodeURIComponent(s.contextId)}/progress`
          : undefined,
    };
    if (state.kind === 'unbound') {
      return res.render(state.mayBind ? 'pages/learn/choose-module' : 'pages/learn/not-ready', {
        ...common,
        title: state.mayBind ? 'Choose the module for this link' : 'This module is not set up yet',
        linkId: encodeURIComponent(linkId),
        modules: state.modules.map((m) => ({ id: m.id, title: m.title })),
      });
    }
    if (state.kind === 'results') {
      return res.render('pages/learn/results', { ...common, ...presentResults(state, linkId) });
    }
    if (failed) res.status(400);
    res.render('pages/learn/step', {
      ...common,
      ...presentStep(state, linkId, failed && { errors: failed.errors.details, answers: failed.answers }),
      observe: staffRole && state.content.observation?.items.length ? `${here(linkId)}/observe` : undefined,
    });
  }

  function conflictPage(res: Response, linkId: string, err: ConflictError) {
    res.status(409).render('pages/learn/conflict', {
      title: 'Already done',
      message: err.message,
      continueUrl: here(linkId),
    });
  }

  router.get(
    '/learn/:linkId',
    guard,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      await renderState(res, sessionOf(res), linkId);
    }),
  );

  router.post(
    '/learn/:linkId/steps',
    guard,
    form,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      const body = (req.body ?? {}) as Record<string, unknown>;
      const control = parseInput(stepBody, body, 'form');
      const s = sessionOf(res);
      let answers: Answers = {};
      try {
        answers = answersOf(body, ['attempt', 'step']);
        await flow.submit(s, linkId, { attemptId: control.attempt, step: control.step, answers });
      } catch (err) {
        if (err instanceof ValidationError && wantsHtml(req))
          return renderState(res, s, linkId, { errors: err, answers });
        if (err instanceof ConflictError && wantsHtml(req)) return conflictPage(res, linkId, err);
        throw err;
      }
      res.redirect(303, here(linkId));
    }),
  );

  // External content (cmi5): a new window opens the content with the cmi5 launch parameters.
  router.get(
    '/learn/:linkId/external',
    guard,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      res.redirect(
        303,
        await deps.learning.cmi5.launch(sessionOf(res), linkId, { publicUrl: deps.publicUrl }),
      );
    }),
  );

  // An AU of a cmi5 package: this frame goes to the AU, which comes back to returnURL when it terminates.
  router.post(
    '/learn/:linkId/au',
    guard,
    form,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      parseInput(attemptBody, req.body ?? {}, 'form');
      try {
        const url = await deps.learning.auSessions.launch(sessionOf(res), linkId, {
          publicUrl: deps.publicUrl,
        });
        res.redirect(303, url);
      } catch (err) {
        if (err instanceof ConflictError && wantsHtml(req)) return conflictPage(res, linkId, err);
        throw err;
      }
    }),
  );

  router.post(
    '/learn/:linkId/attempts',
    guard,
    form,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      await flow.startNew(sessionOf(res), linkId);
      res.redirect(303, here(linkId));
    }),
  );

  router.post(
    '/learn/:linkId/exit',
    guard,
    form,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      const { attempt } = parseInput(attemptBody, req.body ?? {}, 'form');
      try {
        await flow.exit(sessionOf(res), linkId, attempt);
      } catch (err) {
        if (err instanceof ConflictError && wantsHtml(req)) return conflictPage(res, linkId, err);
        throw err;
      }
      res.render('pages/learn/exited', { title: 'Progress saved', continueUrl: here(linkId) });
    }),
  );

  // The page's heartbeat (fetch every ~30 s while the learner is active, sendBeacon on pagehide).
  router.post(
    '/learn/:linkId/heartbeat',
    guard,
    form,
    route(async (req, res) => {
      parseInput(linkParams, req.params, 'address');
      const { attempt } = parseInput(attemptBody, req.body ?? {}, 'heartbeat');
      await flow.heartbeat(sessionOf(res), attempt);
      res.status(204).end();
    }),
  );

  router.post(
    '/learn/:linkId/bind',
    staff,
    form,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      const { moduleId } = parseInput(bindBody, req.body ?? {}, 'form');
      await flow.bind(sessionOf(res), linkId, moduleId);
      res.redirect(303, here(linkId));
    }),
  );

  router.get(
    '/learn/:linkId/observe',
    staff,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      const s = sessionOf(res);
      const view = await observations.form(s, linkId);
      res.render('pages/learn/observe', observeModel(view, linkId, s));
    }),
  );

  router.post(
    '/learn/:linkId/observe',
    staff,
    form,
    route(async (req, res) => {
      const { linkId } = parseInput(linkParams, req.params, 'address');
      const body = (req.body ?? {}) as Record<string, unknown>;
      const control = parseInput(observeBody, body, 'form');
      const s = sessionOf(res);
      const ratings = answersOf(body, ['observation', 'learner']);
      try {
        const done = await observations.submit(s, linkId, {
          observationId: control.observation,
          learnerUserId: control.learner,
          ratings,
        });
        res.render('pages/learn/observed', {
          title: 'Observation saved',
          learnerName: done.learnerName,
          againUrl: `${here(linkId)}/observe`,
        });
      } catch (err) {
        if (err instanceof ConflictError && wantsHtml(req)) return conflictPage(res, linkId, err);
        if (err instanceof ValidationError && wantsHtml(req)) {
          const view = await observations.form(s, linkId);
          res.status(400);
          return res.render('pages/learn/observe', {
            ...observeModel(
              { ...view, observationId: control.observation },
              linkId,
              s,
              ratings,
              control.learner,
            ),
            errorSummary: err.details.map((d) => ({ message: d.message })),
          });
        }
        throw err;
      }
    }),
  );

  return router;
}

function observeModel(
  view: Awaited<ReturnType<ObservationService['form']>>,
  linkId: string,
  s: LtiSession,
  previous: Answers = {},
  learner?: string,
) {
  return {
    title: `Observe a learner: ${view.module.title}`,
    context: (s.launch as { contextTitle?: string }).contextTitle,
    action: `/learn/${encodeURIComponent(linkId)}/observe`,
    observationId: view.observationId,
    learners: view.learners.map((l) => ({ ...l, selected: l.userId === learner })),
    items: view.form.items.map((item, i) => ({
      number: i + 1,
      behaviour: item.behaviour,
      name: `a.${item.id}`,
      options: item.scale.labels.map((label, j) => ({
        value: String(j + 1),
        label,
        inputId: `o-${i}-${j}`,
        checked: previous[item.id] === String(j + 1),
      })),
    })),
  };
}
