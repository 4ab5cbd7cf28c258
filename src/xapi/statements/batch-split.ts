/**
 * Splits the JSON text of a statement request into one slice per statement before anything is parsed,
 * so a request's cost is bounded before work starts: a batch longer than the limit, or one statement
 * larger than the limit, is refused after reading only that far (xAPI Communication 3.2 lets an LRS
 * answer 413 to a request it finds too large). Each slice is then parsed on its own, so no single
 * parse holds the event loop for the whole body.
 *
 * Works on the UTF-8 bytes: the structural characters are ASCII and never occur inside a multi-byte
 * sequence. The split does not validate JSON; parsing each slice does.
 */
import { AppError, ValidationError } from '../../errors.js';
import { yieldToLoop } from './time-slice.js';

export interface StatementLimits {
  /** Most statements one POST may carry (413 above it). */
  maxStatements: number;
  /** Largest JSON text of one statement, in bytes (413 above it). */
  maxStatementBytes: number;
}

export interface StatementSlices {
  /** True when the body is an array (a batch), even of one. */
  batch: boolean;
  /** [start, end) byte ranges of each statement's JSON text. */
  ranges: [number, number][];
}

/** Bytes scanned between yields to the event loop. */
const SCAN_SLICE_BYTES = 256 * 1024;

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

function tooManyStatements(limits: StatementLimits): AppError {
  return new AppError(
    'payload_too_large',
    `The batch has more than ${limits.maxStatements} statements, the most this LRS takes in one request; send it in smaller batches.`,
    [{ path: 'statements', message: `more than ${limits.maxStatements} statements` }],
  );
}

function statementTooLarge(path: string, limits: StatementLimits): AppError {
  return new AppError(
    'payload_too_large',
    `${path} is larger than ${limits.maxStatementBytes} bytes of JSON, the largest statement this LRS takes; move large content into an attachment.`,
    [{ path, message: `larger than ${limits.maxStatementBytes} bytes` }],
  );
}

function notJson(message: string): ValidationError {
  return new ValidationError(
    `The request body is not valid JSON: ${message}. Fix the JSON and send it again.`,
    [{ path: 'body', message }],
  );
}

/**
 * Finds each statement of `body`: one object, or an array of them. Throws 413 (`payload_too_large`)
 * past either limit and 400 when the array is empty or its brackets do not balance.
 */
export async function splitStatements(body: Uint8Array, limits: StatementLimits): Promise<StatementSlices> {
  let i = 0;
  while (i < body.length && SPACE.has(body[i]!)) i++;
  if (i === body.length) throw notJson('the body is empty; send a statement or an array of statements');
  if (body[i] !== 0x5b) {
    let end = body.length;
    while (end > i && SPACE.has(body[end - 1]!)) end--;
    if (end - i > limits.maxStatementBytes) throw statementTooLarge('statement', limits);
    return { batch: false, ranges: [[i, end]] };
  }
  const ranges: [number, number][] = [];
  let start = i + 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let nextYield = i + SCAN_SLICE_BYTES;
  for (i = start; i < body.length; i++) {
    if (i >= nextYield) {
      await yieldToLoop();
      nextYield = i + SCAN_SLICE_BYTES;
    }
    if (i - start > limits.maxStatementBytes) throw statementTooLarge(`statements[${ranges.length}]`, limits);
    const c = body[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && depth > 0) depth--;
    else if (c === 0x7d) throw notJson(`a } at byte ${i} closes nothing`);
    else if (c === 0x2c || c === 0x5d) {
      if (depth !== 0) continue;
      const isEmptyArray = c === 0x5d && ranges.length === 0 && isBlank(body, start, i);
      if (!isEmptyArray) ranges.push([start, i]);
      if (ranges.length > limits.maxStatements) throw tooManyStatements(limits);
      start = i + 1;
      if (c === 0x5d) {
        let rest = i + 1;
        while (rest < body.length && SPACE.has(body[rest]!)) rest++;
        if (rest < body.length) throw notJson(`unexpected text after the closing ] at byte ${rest}`);
        if (ranges.length === 0) {
          throw new ValidationError('The array of statements is empty; send at least one statement.', [
            { path: 'statements', message: 'the array of statements is empty; send at least one statement' },
          ]);
        }
        return { batch: true, ranges };
      }
    }
  }
  throw notJson('the array of statements ends before its closing ]');
}

function isBlank(body: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!SPACE.has(body[i]!)) return false;
  return true;
}
