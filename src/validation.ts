import type { z } from 'zod';
import { ValidationError } from './errors.js';

/**
 * Parses input with one schema, turning every problem into one ValidationError whose message lists
 * each path and what is wrong with it ("The form is not valid: issuer: Required.").
 *
 * @param what the thing being checked, in the user's words ("program", "form", "address").
 */
export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    path: i.path.join('.') || '(input)',
    message: i.message,
  }));
  throw new ValidationError(
    `The ${what} is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}.`,
    details,
  );
}
