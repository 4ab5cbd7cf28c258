import assert from 'node:assert/strict';
import { AppError, ValidationError } from '../../../../src/errors.js';
import { splitStatements } from '../../../../src/xapi/statements/batch-split.js';

const limits = { maxStatements: 3, maxStatementBytes: 100 };
const split = (text: string) => splitStatements(Buffer.from(text, 'utf8'), limits);
const texts = async (text: string) => {
  const body = Buffer.from(text, 'utf8');
  const { ranges } = await splitStatements(body, limits);
  return ranges.map(([s, e]) => body.toString('utf8', s, e).trim());
};

describe('splitting a statement request before parsing', () => {
  it('finds each statement of an array, ignoring brackets, commas and escaped quotes inside strings', async () => {
    assert.deepEqual(await texts('[{"a":"],[{\\"}"}, {"b":[1,{"c":2}]} ]'), [
      '{"a":"],[{\\"}"}',
      '{"b":[1,{"c":2}]}',
    ]);
  });

  it('treats a body that is not an array as one statement', async () => {
    assert.deepEqual(await split(' {"a":1} '), { batch: false, ranges: [[1, 8]] });
  });

  it('refuses one statement more than maxStatements with 413', async () => {
    await split('[{},{},{}]');
    await assert.rejects(
      split('[{},{},{},{}]'),
      (e: unknown) => e instanceof AppError && e.code === 'payload_too_large',
    );
  });

  it('refuses a statement larger than maxStatementBytes with 413 naming it, before reading to its end', async () => {
    await assert.rejects(
      split(`[{}, {"a":"${'x'.repeat(200)}`),
      (e: unknown) =>
        e instanceof AppError && e.code === 'payload_too_large' && /statements\[1\]/.test(e.message),
    );
  });

  it('refuses an empty array, an unclosed array, text after it and an empty body with 400', async () => {
    for (const body of ['[]', '[ ]', '[{}', '[{}] x', '', '  ', '[{}}]']) {
      await assert.rejects(split(body), ValidationError, body);
    }
  });

  it('leaves an empty element to the parser (a trailing comma)', async () => {
    assert.deepEqual(await texts('[{},]'), ['{}', '']);
  });
});
