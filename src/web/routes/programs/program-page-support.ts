import type { Request, Response } from 'express';
import { parseInput } from '../../../validation.js';
import { z } from 'zod';
import { ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { Program } from '../../../cohorts/model.js';
import type { PageAccess } from './program-pages.js';

const programParams = z.object({ programId: z.string().uuid('not a program id') });

/** The program named in the address, in the session's tenant (NotFoundError for another tenant's). */
export async function programOfRequest(
  programs: Pick<ProgramService, 'get'>,
  access: PageAccess,
  params: unknown,
  res: Response,
): Promise<{ tenantId: string; program: Program }> {
  const parsed = programParams.safeParse(params);
  if (!parsed.success)
    throw new ValidationError('That address does not name a program; pick one from the list.');
  const tenantId = access.tenantId(res);
  return { tenantId, program: await programs.get(tenantId, parsed.data.programId) };
}

/** The program navigation partial's data. */
export function nav(program: { id: string } | null, current: string) {
  return { nav: { id: program?.id ?? null, current } };
}

/**
 * Per-field messages from a ValidationError's details (path -> message), for forms that show each
 * problem beside its field; the summary lists them all.
 */
export function fieldErrors(err: ValidationError, aliases: Record<string, string> = {}) {
  const byField: Record<string, string> = {};
  for (const d of err.details ?? []) {
    const raw = d.path ?? '(input)';
    const path = aliases[raw] ?? raw.split('.')[0]!;
    byField[path] = byField[path] ? `${byField[path]}; ${d.message}` : d.message;
  }
  return { errors: byField, errorSummary: err.message };
}

/** What a program form post needs from its page module. */
export interface ProgramFormPost<F> {
  schema: z.ZodType<F>;
  /** Saves the form through a service; returns where to go next (Post/Redirect/Get). */
  save(tenantId: string, program: Program, form: F): Promise<string>;
  /** Renders the page again for a form the service refused, with what was typed and why. */
  rejected(res: Response, tenantId: string, program: Program, form: F, err: ValidationError): Promise<void>;
}

/**
 * The handler of a program page's form: loads the program of the address in the session's tenant,
 * parses the form, saves it and redirects (303); a ValidationError from the service answers 400 with
 * the page shown again (other errors go to the error handler).
 */
export function programFormPost<F>(
  programs: Pick<ProgramService, 'get'>,
  access: PageAccess,
  post: ProgramFormPost<F>,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const { tenantId, program } = await programOfRequest(programs, access, req.params, res);
    const form = parseInput(post.schema, req.body, 'form');
    try {
      res.redirect(303, await post.save(tenantId, program, form));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400);
      await post.rejected(res, tenantId, program, form, err);
    }
  };
}
