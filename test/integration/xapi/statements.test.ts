import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement, type LrsClient } from '../../support/xapi-client.js';

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const agent = (name: string) => ({ objectType: 'Agent', mbox: `mailto:${name}@example.com` });
const voiding = (target: string, actor = agent('admin')) => ({
  actor,
  verb: { id: VOIDED, display: { 'en-US': 'voided' } },
  object: { objectType: 'StatementRef', id: target },
});

async function ids(lrs: LrsClient, query: string): Promise<string[]> {
  const res = await lrs.get(`/xapi/statements?${query}`).expect(200);
  return res.body.statements.map((s: { id: string }) => s.id);
}

describe('xAPI Statement resource (Communication 2.1)', () => {
  const testDb = useTestDatabase();
  let lrs: LrsClient;
  before(async () => {
    const { app, services } = createTestApp(testDb());
    lrs = await lrsClient(app, services);
  });

  describe('storing', () => {
    it('stores a batch all or nothing: one invalid statement rejects the whole batch (Communication 2.1.2)', async () => {
      const good = { ...statement(), id: randomUUID() };
      const bad = statement({ verb: { id: 'not an iri' } });
      const res = await lrs.post('/xapi/statements').send([good, bad]).expect(400);
      assert.match(res.body.error.details[0].path, /^statements\[1\]\.verb\.id/);
      await lrs.get(`/xapi/statements?statementId=${good.id}`).expect(404);
    });

    it('rolls a batch back when one statement conflicts with a stored one (409)', async () => {
      const stored = { ...statement(), id: randomUUID() };
      await lrs.post('/xapi/statements').send(stored).expect(200);
      const fresh = { ...statement(), id: randomUUID() };
      await lrs
        .post('/xapi/statements')
        .send([fresh, { ...stored, verb: { id: 'http://example.com/changed' } }])
        .expect(409);
      await lrs.get(`/xapi/statements?statementId=${fresh.id}`).expect(404);
    });

    it('does not store a duplicate when the same statement is POSTed again', async () => {
      const s = { ...statement(), id: randomUUID() };
      const first = await lrs.post('/xapi/statements').send(s).expect(200);
      const second = await lrs.post('/xapi/statements').send(s).expect(200);
      assert.deepEqual(first.body, second.body);
      const rows = await testDb()
        .db.selectFrom('xapi_statement')
        .select('id')
        .where('id', '=', s.id)
        .execute();
      assert.equal(rows.length, 1);
    });

    it('rejects PUT whose statementId differs from the statement id', async () => {
      await lrs
        .put(`/xapi/statements?statementId=${randomUUID()}`)
        .send({ ...statement(), id: randomUUID() })
        .expect(400);
    });

    it('sets version 2.0.0 under 2.0 and rejects a zone-less timestamp there', async () => {
      const { app, services } = createTestApp(testDb());
      const v2 = await lrsClient(app, services, { version: '2.0.0' });
      const [id] = (await v2.post('/xapi/statements').send(statement()).expect(200)).body;
      assert.equal((await v2.get(`/xapi/statements?statementId=${id}`).expect(200)).body.version, '2.0.0');
      await v2
        .post('/xapi/statements')
        .send(statement({ timestamp: '2024-03-01T09:30:00' }))
        .expect(400);
    });

    it('returns what it was sent: huge numbers, \\u0000 and odd extension shapes come back unchanged', async () => {
      const id = randomUUID();
      const text = `{"id":"${id}","actor":{"mbox":"mailto:x@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},"result":{"extensions":{"http://example.com/n":123456789012345678901234567890,"http://example.com/s":"nul\\u0000byte","http://example.com/e":6.02214076E23,"http://example.com/x":[{"deep":[null,true,{}]}]}}}`;
      await lrs.post('/xapi/statements').set('Content-Type', 'application/json').send(text).expect(200);
      const res = await lrs
        .get(`/xapi/statements?statementId=${id}`)
        .buffer(true)
        .parse((r, cb) => {
          let data = '';
          r.on('data', (c: Buffer) => (data += c.toString('utf8')));
          r.on('end', () => cb(null, data));
        });
      const body = res.body as string;
      assert.ok(body.includes('"http://example.com/n":123456789012345678901234567890'));
      assert.ok(body.includes('"http://example.com/s":"nul\\u0000byte"'));
      assert.ok(body.includes('"http://example.com/e":6.02214076E23'));
      assert.ok(body.includes('"http://example.com/x":[{"deep":[null,true,{}]}]'));
    });

    it('acknowledges statements only with synchronous commit on', async () => {
      const { rows } = await import('kysely').then(({ sql }) =>
        sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(testDb().db),
      );
      assert.equal(rows[0]!.synchronous_commit, 'on');
    });
  });

  describe('voiding (Data 2.3.2)', () => {
    it('removes a voided statement from queries at once and serves it by voidedStatementId', async () => {
      const target = { ...statement({ actor: agent('voidee') }), id: randomUUID() };
      await lrs.post('/xapi/statements').send(target).expect(200);
      const [voidId] = (await lrs.post('/xapi/statements').send(voiding(target.id)).expect(200)).body;
      await lrs.get(`/xapi/statements?statementId=${target.id}`).expect(404);
      const voided = await lrs.get(`/xapi/statements?voidedStatementId=${target.id}`).expect(200);
      assert.equal(voided.body.id, target.id);
      const listed = await ids(lrs, `agent=${encodeURIComponent(JSON.stringify(agent('voidee')))}`);
      assert.ok(!listed.includes(target.id));
      await lrs.get(`/xapi/statements?voidedStatementId=${voidId}`).expect(404);
    });

    it('refuses to void a voiding statement', async () => {
      const target = { ...statement(), id: randomUUID() };
      await lrs.post('/xapi/statements').send(target).expect(200);
      const [voidId] = (await lrs.post('/xapi/statements').send(voiding(target.id)).expect(200)).body;
      const res = await lrs.post('/xapi/statements').send(voiding(voidId)).expect(400);
      assert.match(res.body.error.message, /cannot be voided/);
    });

    it('voids a statement that arrives after its voiding statement', async () => {
      const id = randomUUID();
      await lrs.post('/xapi/statements').send(voiding(id)).expect(200);
      await lrs
        .post('/xapi/statements')
        .send({ ...statement(), id })
        .expect(200);
      await lrs.get(`/xapi/statements?statementId=${id}`).expect(404);
      await lrs.get(`/xapi/statements?voidedStatementId=${id}`).expect(200);
    });
  });

  describe('queries (Communication 2.1.3)', () => {
    let tenantLrs: LrsClient;
    const verb = 'http://example.com/verbs/queried';
    const activity = 'http://example.com/activities/queried';
    const registration = randomUUID();
    const made: Record<string, string> = {};
    before(async () => {
      const { app, services } = createTestApp(testDb());
      tenantLrs = await lrsClient(app, services);
      const post = async (name: string, s: Record<string, unknown>) => {
        made[name] = (await tenantLrs.post('/xapi/statements').send(s).expect(200)).body[0];
      };
      await post('actorVerb', statement({ actor: agent('ann'), verb: { id: verb } }));
      await post('objectAgent', statement({ actor: agent('bob'), object: agent('ann') }));
      await post('instructor', statement({ actor: agent('cat'), context: { instructor: agent('ann') } }));
      await post('activity', statement({ actor: agent('dan'), object: { id: activity } }));
      await post(
        'parent',
        statement({ actor: agent('dan'), context: { contextActivities: { parent: [{ id: activity }] } } }),
      );
      await post('registration', statement({ actor: agent('eve'), context: { registration } }));
      await post('ref', {
        actor: agent('fay'),
        verb: { id: 'http://example.com/verbs/commented' },
        object: { objectType: 'StatementRef', id: made.actorVerb },
      });
      await post(
        'member',
        statement({ actor: { objectType: 'Group', member: [agent('gus'), agent('ann')] } }),
      );
    });

    it('agent matches actor or object; related_agents adds context and other positions', async () => {
      const a = encodeURIComponent(JSON.stringify(agent('ann')));
      const direct = await ids(tenantLrs, `agent=${a}`);
      assert.ok(
        direct.includes(made.actorVerb!) &&
          direct.includes(made.objectAgent!) &&
          direct.includes(made.member!),
      );
      assert.ok(!direct.includes(made.instructor!));
      const related = await ids(tenantLrs, `agent=${a}&related_agents=true`);
      assert.ok(related.includes(made.instructor!));
    });

    it('activity matches the object; related_activities adds context activities', async () => {
      const direct = await ids(tenantLrs, `activity=${encodeURIComponent(activity)}`);
      assert.deepEqual(direct, [made.activity]);
      const related = await ids(
        tenantLrs,
        `activity=${encodeURIComponent(activity)}&related_activities=true`,
      );
      assert.deepEqual(related.sort(), [made.activity, made.parent].sort());
    });

    it('verb and registration filter, and StatementRefs targeting a match are included', async () => {
      const byVerb = await ids(tenantLrs, `verb=${encodeURIComponent(verb)}`);
      assert.deepEqual(byVerb, [made.ref, made.actorVerb]);
      assert.deepEqual(await ids(tenantLrs, `registration=${registration}`), [made.registration]);
    });

    it('orders by stored, newest first; ascending=true reverses', async () => {
      const desc = await ids(tenantLrs, '');
      const asc = await ids(tenantLrs, 'ascending=true');
      assert.deepEqual(asc, [...desc].reverse());
      assert.equal(desc[0], made.member);
    });

    it('since is exclusive and until inclusive on stored', async () => {
      const one = (await tenantLrs.get(`/xapi/statements?statementId=${made.activity}`).expect(200)).body;
      const until = await ids(tenantLrs, `until=${encodeURIComponent(one.stored)}`);
      assert.ok(until.includes(made.activity!));
      const since = await ids(tenantLrs, `since=${encodeURIComponent(one.stored)}`);
      assert.ok(!since.includes(made.activity!));
    });

    it('pages with opaque more links that stay correct while statements arrive', async () => {
      const all = await ids(tenantLrs, '');
      const seen: string[] = [];
      let res = await tenantLrs.get('/xapi/statements?limit=3').expect(200);
      seen.push(...res.body.statements.map((s: { id: string }) => s.id));
      await tenantLrs.post('/xapi/statements').send(statement()).expect(200);
      while (res.body.more) {
        assert.match(res.body.more, /^\/xapi\/statements\?/);
        res = await tenantLrs.get(res.body.more).expect(200);
        seen.push(...res.body.statements.map((s: { id: string }) => s.id));
      }
      assert.deepEqual(seen, all);
      await tenantLrs.get('/xapi/statements?cursor=garbage').expect(400);
    });

    it('more pages show exactly the statements visible to the first page, even when an older insert commits between pages', async () => {
      const db = testDb().db;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const started = new Promise<void>((r) => (inserted = r));
      const lateId = randomUUID();
      const late = db.transaction().execute(async (trx) => {
        await trx
          .insertInto('xapi_statement')
          .values({
            tenant_id: tenantLrs.tenantId,
            id: lateId,
            stored: new Date(),
            timestamp: new Date(),
            verb_iri: 'http://example.com/late',
            registration: null,
            voiding_target: null,
            ref_target: null,
            credential_id: null,
            version: '1.0.0',
            statement: JSON.stringify({ id: lateId }),
          })
          .execute();
        inserted();
        await held;
      });
      await started;
      // This statement gets a higher seq than the uncommitted one but commits first.
      const [early] = (await tenantLrs.post('/xapi/statements').send(statement()).expect(200)).body;
      const first = await tenantLrs.get('/xapi/statements?limit=2&ascending=true').expect(200);
      release();
      await late;
      const seen = first.body.statements.map((x: { id: string }) => x.id);
      let res = first;
      while (res.body.more) {
        res = await tenantLrs.get(res.body.more).expect(200);
        seen.push(...res.body.statements.map((x: { id: string }) => x.id));
      }
      assert.ok(seen.includes(early));
      assert.ok(
        !seen.includes(lateId),
        'a statement committed after the first page is not mixed into its pages',
      );
      assert.equal(new Set(seen).size, seen.length);
      const fresh = await ids(tenantLrs, 'ascending=true');
      assert.ok(fresh.includes(lateId), 'a new query sees it');
    });

    it('format=ids reduces agents and activities; canonical picks one language', async () => {
      const res = await tenantLrs
        .get(`/xapi/statements?statementId=${made.actorVerb}&format=ids`)
        .expect(200);
      assert.deepEqual(res.body.actor, { objectType: 'Agent', mbox: 'mailto:ann@example.com' });
      assert.deepEqual(res.body.verb, { id: verb });
    });

    it('rejects unknown parameters and statementId combined with filters', async () => {
      await tenantLrs.get('/xapi/statements?colour=blue').expect(400);
      await tenantLrs
        .get(`/xapi/statements?statementId=${made.activity}&verb=${encodeURIComponent(verb)}`)
        .expect(400);
    });

    it('sets Last-Modified and X-Experience-API-Consistent-Through', async () => {
      const res = await tenantLrs.get('/xapi/statements').expect(200);
      assert.ok(!Number.isNaN(Date.parse(res.headers['x-experience-api-consistent-through']!)));
      assert.ok(!Number.isNaN(Date.parse(res.headers['last-modified']!)));
    });
  });

  describe('attachments (Communication 1.5.2)', () => {
    it('stores multipart/mixed attachments checked by SHA-2 and returns them with attachments=true', async () => {
      const data = Buffer.from('attachment bytes \u00e9\u0000', 'utf8');
      const sha2 = createHash('sha256').update(data).digest('hex');
      const s = {
        ...statement(),
        id: randomUUID(),
        attachments: [
          {
            usageType: 'http://example.com/usage',
            display: { en: 'a' },
            contentType: 'text/plain',
            length: data.length,
            sha2,
          },
        ],
      };
      const boundary = 'xyzzy';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(s)}\r\n--${boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n`,
        ),
        data,
        Buffer.from(`\r\n--${boundary}--`),
      ]);
      await lrs
        .post('/xapi/statements')
        .set('Content-Type', `multipart/mixed; boundary=${boundary}`)
        .send(body)
        .expect(200);
      const res = await lrs
        .get(`/xapi/statements?statementId=${s.id}&attachments=true`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      assert.match(res.headers['content-type']!, /^multipart\/mixed; boundary=/);
      assert.ok((res.body as Buffer).includes(data));
      assert.ok((res.body as Buffer).includes(Buffer.from(`X-Experience-API-Hash: ${sha2}`)));
    });

    it('rejects an attachment part whose data does not match its hash', async () => {
      const sha2 = createHash('sha256').update('other').digest('hex');
      const s = {
        ...statement(),
        attachments: [
          {
            usageType: 'http://example.com/u',
            display: { en: 'a' },
            contentType: 'text/plain',
            length: 4,
            sha2,
          },
        ],
      };
      const body = `--b\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(s)}\r\n--b\r\nContent-Type: text/plain\r\nX-Experience-API-Hash: ${sha2}\r\n\r\ndata\r\n--b--`;
      await lrs
        .post('/xapi/statements')
        .set('Content-Type', 'multipart/mixed; boundary=b')
        .send(body)
        .expect(400);
    });

    it('accepts a fileUrl attachment in application/json', async () => {
      const s = {
        ...statement(),
        attachments: [
          {
            usageType: 'http://example.com/u',
            display: { en: 'a' },
            contentType: 'text/plain',
            length: 4,
            sha2: 'a'.repeat(64),
            fileUrl: 'http://example.com/f.txt',
          },
        ],
      };
      await lrs.post('/xapi/statements').send(s).expect(200);
    });
  });
});
