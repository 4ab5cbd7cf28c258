/**
 * From the JSON text of a PUT or POST to prepared statements, with the request's cost bounded:
 * split first (batch size and statement size limits, 413), then parse, validate and prepare one
 * statement at a time in slices of a few milliseconds (see time-slice.ts). Validation stops after
 * {@link MAX_REPORTED_ERRORS} problems, so a batch of broken statements costs little to refuse and
 * gets a short answer.
 */
import { ValidationError } from '../../errors.js';
import {
  isJsonObject,
  isUuid,
  normalizeUuid,
  parseJsonLossless,
  prepareValid,
  storedStamp,
  validateStatement,
  type JsonObject,
  type PrepareContext,
  type PreparedStatement,
  type RuleError,
} from '../rules/index.js';
import { splitStatements, type StatementLimits } from './batch-split.js';
import { forEachSliced } from './time-slice.js';

/** Problems listed in one error response; validation stops once this many are found. */
export const MAX_REPORTED_ERRORS = 10;

export interface IntakeResult {
  prepared: PreparedStatement[];
  /** The statements as received (before the LRS set id, stored, authority, version), for comparisons. */
  received: JsonObject[];
  batch: boolean;
}

/**
 * Reads, validates and prepares the statements of `body` (UTF-8 JSON: one statement or an array).
 * `statementId` is PUT's parameter: then the body must be one statement whose id, if any, matches.
 * Throws ValidationError (400) listing at most {@link MAX_REPORTED_ERRORS} problems, or AppError
 * `payload_too_large` (413) past `limits`.
 */
export async function takeInStatements(input: {
  body: Buffer;
  context: PrepareContext;
  limits: StatementLimits;
  statementId?: string;
}): Promise<IntakeResult> {
  const { body, statementId } = input;
  if (statementId !== undefined && !isUuid(statementId)) {
    throw invalid([{ path: 'statementId', message: `must be a UUID, not ${JSON.stringify(statementId)}` }]);
  }
  const slices = await splitStatements(body, input.limits);
  if (statementId !== undefined && slices.batch) {
    throw invalid([
      { path: 'body', message: 'PUT stores one statement object; POST an array to store a batch' },
    ]);
  }
  const errors: RuleError[] = [];
  const received: JsonObject[] = [];
  const firstIndexById = new Map<string, number>();
  let checkedUpTo = -1;
  await forEachSliced(slices.ranges, ([start, end], index) => {
    checkedUpTo = index;
    const path = slices.batch ? `statements[${index}]` : 'statement';
    const parsed = parseJsonLossless(body.toString('utf8', start, end));
    if (!parsed.ok) {
      errors.push({ path, message: `${parsed.message}; send a statement or an array of statements` });
    } else {
      const statement = parsed.value;
      if (statementId !== undefined && isJsonObject(statement))
        errors.push(...matchPutId(statement, statementId));
      const result = validateStatement(statement, {
        version: input.context.version,
        root: slices.batch ? ['statements', index] : ['statement'],
      });
      if (!result.ok) errors.push(...result.errors);
      if (isJsonObject(statement)) {
        received.push(statement);
        if (typeof statement.id === 'string') {
          const id = normalizeUuid(statement.id);
          const first = firstIndexById.get(id);
          if (first === undefined) firstIndexById.set(id, index);
          else
            errors.push({
              path: `${path}.id`,
              message: `repeats the id of statements[${first}]; each statement in a batch needs its own id (xAPI Communication 2.1.2)`,
            });
        }
      }
    }
    return errors.length < MAX_REPORTED_ERRORS;
  });
  if (errors.length) {
    const unchecked = slices.ranges.length - 1 - checkedUpTo;
    throw invalid(errors, unchecked > 0 ? `statements[${checkedUpTo}]` : undefined);
  }
  const stored = storedStamp(input.context);
  const prepared: PreparedStatement[] = [];
  await forEachSliced(received, (statement) => {
    prepared.push(prepareValid(statement, input.context, stored));
  });
  return { prepared, received, batch: slices.batch };
}

/** PUT: the statement's id, if present, must be the statementId parameter; absent, it becomes it. */
function matchPutId(statement: JsonObject, statementId: string): RuleError[] {
  if (statement.id === undefined) {
    statement.id = statementId;
    return [];
  }
  if (typeof statement.id === 'string' && normalizeUuid(statement.id) === normalizeUuid(statementId))
    return [];
  return [
    {
      path: 'statement.id',
      message: `is ${JSON.stringify(statement.id)} but the statementId parameter is ${statementId}; make them equal or leave id out`,
    },
  ];
}

/**
 * The 400 for a refused request: the first problem in the message, at most
 * {@link MAX_REPORTED_ERRORS} in the details, and what was not reported.
 */
function invalid(errors: RuleError[], stoppedAt?: string): ValidationError {
  const first = errors[0]!;
  const listed = errors.slice(0, MAX_REPORTED_ERRORS);
  const notes: string[] = [];
  if (errors.length > 1) notes.push(`and ${errors.length - 1} more problems`);
  if (errors.length > listed.length) notes.push(`${errors.length - listed.length} of them not listed`);
  if (stoppedAt) notes.push(`checking stopped at ${stoppedAt}, so later statements were not checked`);
  return new ValidationError(
    `The statement request is not valid: ${first.path} ${first.message}${notes.length ? ` (${notes.join('; ')})` : ''}.`,
    listed,
  );
}
