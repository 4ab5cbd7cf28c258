import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement, type LrsClient } from '../../support/xapi-client.js';

/** Odd values of the kinds the attack pass tried: empty, huge, out-of-range times, U+0000, bad UTF-8. */
const ODD = [
  '',
  ' ',
  '0',
  '-1',
  '1e400',
  '99999999999999999999',
  'null',
  '[]',
  '{}',
  '\u0000',
  'true',
  'x'.repeat(5000),
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  '1970-01-01T00:00:00+99:99',
  '2024-02-30T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '{"mbox":"mailto:a@b.c"}',
  `{"account":{"homePage":"http://x","name":"${'n'.repeat(3000)}"}}`,
  '{"mbox":"mailto:a\\u0000@b.c"}',
  '{"account":{"homePage":"http://x","name":"a\\u0000"}}',
  '{"objectType":"Group","member":[{"mbox":"mailto:a@b.c"}]}',
  `http://example.com/${'a'.repeat(3000)}`,
  'http://example.com/\u0000',
  '00000000-0000-0000-0000-000000000000',
  'http://x/%ZZ',
  '%ED%A0%80',
];
/** Percent-encodes a value; '%ED%A0%80' (a lone surrogate in UTF-8) is sent as it is. */
const enc = (v: string) => (v.startsWith('%ED') ? v : encodeURIComponent(v));
const AGENT = enc('{"mbox":"mailto:a@b.c"}');
const STATEMENT_PARAMS = [
  'since',
  'until',
  'limit',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'format',
  'attachments',
  'ascending',
  'statementId',
  'voidedStatementId',
  'cursor',
];

describe('xAPI parameters answer client errors with 4xx (issue #16 fuzzing)', () => {
  const testDb = useTestDatabase();
  let lrs: LrsClient;
  before(async () => {
    const { app, services } = createTestApp(testDb());
    lrs = await lrsClient(app, services);
    await lrs.post('/xapi/statements').send([statement(), statement()]).expect(200);
  });

  it('answers since=0000-01-01 and until=0000-01-01 (year 0, which PostgreSQL lacks) with 400', async () => {
    for (const p of ['since', 'until']) {
      const res = await lrs.get(`/xapi/statements?${p}=0000-01-01T00:00:00Z`).expect(400);
      assert.match(res.body.error.message, new RegExp(`${p} must be in year 0001 or later`));
    }
  });

  it('answers a U+0000 in a stateId, profileId or activityId with 400', async () => {
    const base = `activityId=${enc('http://x/a')}`;
    await lrs.get(`/xapi/activities/state?${base}&agent=${AGENT}&stateId=a%00`).expect(400);
    await lrs.put(`/xapi/activities/profile?${base}&profileId=%00`).send({}).expect(400);
    await lrs.delete(`/xapi/agents/profile?agent=${AGENT}&profileId=%00`).expect(400);
    await lrs.get(`/xapi/activities?activityId=${enc('http://example.com/\u0000')}`).expect(400);
  });

  it('answers an agent parameter whose identifier has an escaped U+0000 with 400', async () => {
    const agent = enc('{"mbox":"mailto:a\\u0000@b.c"}');
    await lrs.get(`/xapi/statements?agent=${agent}`).expect(400);
    await lrs.get(`/xapi/agents/profile?agent=${agent}&profileId=p`).expect(400);
  });

  it('refuses a statement whose Activity id contains an escaped U+0000 with 400 naming it', async () => {
    const res = await lrs
      .post('/xapi/statements')
      .send(statement({ object: { id: 'http://example.com/a\u0000b' } }))
      .expect(400);
    assert.match(res.body.error.message, /statement\.object\.id contains the character U\+0000/);
  });

  it('answers no statement or document parameter, alone, repeated or combined, with 5xx', async function () {
    this.timeout(120_000);
    const failures: string[] = [];
    const check = async (path: string, method: 'get' | 'put' | 'post' | 'delete' = 'get') => {
      let t = lrs[method](path);
      if (method === 'put' || method === 'post') t = t.set('Content-Type', 'application/json').send('{}');
      const res = await t;
      if (res.status >= 500) failures.push(`${method.toUpperCase()} ${path.slice(0, 120)} -> ${res.status}`);
    };
    for (const p of STATEMENT_PARAMS)
      for (const v of ODD) {
        await check(`/xapi/statements?${p}=${enc(v)}`);
        await check(`/xapi/statements?${p}=${enc(v)}&${p}=${enc(v)}`);
      }
    for (const v of ODD) {
      await check(`/xapi/statements?statementId=${enc(v)}&voidedStatementId=${enc(v)}`);
      await check(`/xapi/statements?verb=${enc(v)}&agent=${enc(v)}&activity=${enc(v)}&related_agents=true`);
      await check(`/xapi/activities?activityId=${enc(v)}`);
      await check(`/xapi/agents?agent=${enc(v)}`);
    }
    const documents = [
      (q: string) => `/xapi/activities/state?activityId=${enc('http://x/a')}&agent=${AGENT}&${q}`,
      (q: string) => `/xapi/activities/profile?activityId=${enc('http://x/a')}&${q}`,
      (q: string) => `/xapi/agents/profile?agent=${AGENT}&${q}`,
    ];
    for (const doc of documents)
      for (const p of ['activityId', 'agent', 'registration', 'stateId', 'profileId', 'since'])
        for (const v of ODD)
          for (const m of ['get', 'put', 'post', 'delete'] as const) await check(doc(`${p}=${enc(v)}`), m);
    assert.deepEqual(failures, []);
  });
});
