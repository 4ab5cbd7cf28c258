import type { Response } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import type { Services } from '../../services.js';
import type { Program } from '../../storage/repositories/program-repository.js';
import type { PageAccess } from './program-pages.js';

const programParams = z.object({ programId: z.string().uuid('not a program id') });

/** The program named in the address, in the session's tenant (NotFoundError for another tenant's). */
export async function programOfRequest(
  services: Services,
  access: PageAccess,
  params: unknown,
  res: Response,
): Promise<{ tenantId: string; program: Program }> {
  const parsed = programParams.safeParse(params);
  if (!parsed.success)
    throw new ValidationError('That address does not name a program; pick one from the list.');
  const tenantId = access.tenantId(res);
  return { tenantId, program: await services.programs.get(tenantId, parsed.data.programId) };
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
