import assert from 'node:assert/strict';
import { isConnectionError, mapDatabaseError } from '../../../src/storage/db-errors.js';
import { UnavailableError } from '../../../src/errors.js';

describe('database errors during a failover', () => {
  const lost = [
    { what: 'a dropped socket', err: new Error('Connection terminated unexpectedly') },
    {
      what: 'PgBouncer losing its server (08P01)',
      err: Object.assign(new Error('server conn crashed?'), { code: '08P01' }),
    },
    {
      what: 'the postmaster killed under a backend (57P02)',
      err: Object.assign(new Error('terminating'), { code: '57P02' }),
    },
    {
      what: 'a server shutting down (57P01)',
      err: Object.assign(new Error('terminating'), { code: '57P01' }),
    },
    {
      what: 'a write on a demoted leader (25006)',
      err: Object.assign(new Error('read-only'), { code: '25006' }),
    },
    {
      what: 'a pg client broken by an earlier error',
      err: new Error('Client has encountered a connection error and is not queryable'),
    },
    {
      what: 'a refused connection',
      err: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    },
  ];
  for (const { what, err } of lost)
    it(`answers ${what} as unavailable, to be retried`, () => {
      assert.equal(isConnectionError(err), true);
      const mapped = mapDatabaseError(err);
      assert.ok(mapped instanceof UnavailableError);
      assert.equal(mapped.retryAfterSeconds, 5);
    });

  it('leaves a constraint error that is not about the connection alone', () => {
    const err = Object.assign(new Error('check violation'), { code: '23514' });
    assert.equal(isConnectionError(err), false);
    assert.equal(mapDatabaseError(err), err);
  });
});
