import assert from 'node:assert/strict';
import { ValidationError } from '../../../../src/errors.js';
import { createCursorCodec } from '../../../../src/xapi/statements/statement-cursor.js';

describe('more cursors (signed)', () => {
  const secret = 'a-test-secret-of-thirty-two-characters!';
  const cursor = { seq: '12345', snapshot: '100:105:101,103' };

  it('round-trips a cursor it signed', () => {
    const codec = createCursorCodec(secret);
    assert.deepEqual(codec.decode(codec.encode(cursor)), cursor);
  });

  it('accepts a cursor signed by another process with the same secret', () => {
    assert.deepEqual(createCursorCodec(secret).decode(createCursorCodec(secret).encode(cursor)), cursor);
  });

  it('refuses a cursor signed with another key, including the random key of another process', () => {
    const text = createCursorCodec(secret).encode(cursor);
    assert.throws(
      () => createCursorCodec('another-secret-of-thirty-two-characters').decode(text),
      ValidationError,
    );
    assert.throws(() => createCursorCodec('').decode(createCursorCodec('').encode(cursor)), ValidationError);
  });

  it('refuses a cursor whose seq or snapshot was changed, even with the old signature', () => {
    const codec = createCursorCodec(secret);
    const [, signature] = codec.encode(cursor).split('.');
    for (const forged of [
      ['99999999999999999999', '100:105:'],
      ['1; DROP TABLE x', '1:2:'],
      ['12345', 'not-a-snapshot'],
    ]) {
      const payload = Buffer.from(JSON.stringify(forged)).toString('base64url');
      assert.throws(() => codec.decode(`${payload}.${signature}`), ValidationError);
    }
  });

  it('refuses malformed cursors with a 400 error', () => {
    const codec = createCursorCodec(secret);
    const good = codec.encode(cursor);
    for (const text of ['', 'not-a-cursor', '.', `${good}.x`, good.slice(0, -2), `x${good}`]) {
      assert.throws(
        () => codec.decode(text),
        (err: unknown) => err instanceof ValidationError && err.code === 'invalid',
      );
    }
  });
});
