/**
 * `more` cursors (xAPI Communication 2.1.3: the `more` IRL is opaque to clients). A cursor carries
 * the last seq shown and the PostgreSQL snapshot of the first page, signed with HMAC-SHA256 so a
 * client cannot hand the database a seq or snapshot the LRS did not write: an altered or malformed
 * cursor is a 400, never a database error.
 *
 * The key comes from config `xapi.cursorSecret` (env XAPI_CURSOR_SECRET). Without it each process
 * draws a random key: cursors then stop working when the process restarts, and behind a load
 * balancer a cursor from one app server is refused by another. Set the same secret on every server.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../errors.js';

export interface StatementCursor {
  seq: string;
  snapshot: string;
}

export interface CursorCodec {
  encode(cursor: StatementCursor): string;
  /** Throws ValidationError (400) for a cursor this codec did not sign, or one it cannot read. */
  decode(text: string): StatementCursor;
}

/** Largest bigint: a larger seq could not have been written by this LRS. */
const MAX_SEQ = 9223372036854775807n;

/** A codec signing with `secret`; an empty secret means a random key for this process. */
export function createCursorCodec(secret: string): CursorCodec {
  const key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();
  return {
    encode(cursor) {
      const payload = Buffer.from(JSON.stringify([cursor.seq, cursor.snapshot]), 'utf8').toString(
        'base64url',
      );
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    decode(text) {
      const [payload, signature, extra] = text.split('.');
      if (payload && signature && extra === undefined) {
        const given = Buffer.from(signature, 'base64url');
        const expected = mac(payload);
        if (given.length === expected.length && timingSafeEqual(given, expected)) {
          const cursor = readPayload(payload);
          if (cursor) return cursor;
        }
      }
      throw new ValidationError(
        'The cursor of this more link was not issued by this LRS or has been changed; follow the more link exactly as it was returned, or start the query again without cursor.',
        [{ path: 'cursor', message: 'not a cursor this LRS signed' }],
      );
    },
  };
}

function readPayload(payload: string): StatementCursor | undefined {
  try {
    const [seq, snapshot] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (
      typeof seq === 'string' &&
      /^\d{1,19}$/.test(seq) &&
      BigInt(seq) <= MAX_SEQ &&
      typeof snapshot === 'string' &&
      /^\d{1,20}:\d{1,20}:[\d,]*$/.test(snapshot)
    ) {
      return { seq, snapshot };
    }
  } catch {
    // not JSON: refused by the caller
  }
  return undefined;
}
