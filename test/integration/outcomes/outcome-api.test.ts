import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { ADMIN_TOKEN, createAdminApp } from '../../fixtures/outcomes/admin-app.js';
import {
  PAYROLL_HEADER,
  csv,
  payrollRows,
  tenantWithPeople,
} from '../../fixtures/outcomes/outcome-builders.js';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('the outcome-import API', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let n = 0;
  const setup = async (people = 10) => {
    const { app, services } = createAdminApp(testDb());
    const tenant = await tenantWithPeople(services, testDb().db, `Api ${++n}`, people);
    return { app, services, tenant, base: `/admin/api/outcomes/tenants/${encodeURIComponent(tenant.name)}` };
  };

  it('is disabled with a clear 403 when no admin token is configured, and 401 without the token', async () => {
    const disabled = createAdminApp(testDb(), '').app;
    const res = await request(disabled).get('/admin/api/outcomes/kinds').set(auth).expect(403);
    assert.match(res.body.error.message, /admin API is disabled: set YARDSTICK_ADMIN_TOKEN/);
    const { app } = createAdminApp(testDb());
    await request(app).get('/admin/api/outcomes/kinds').expect(401);
    await request(app).get('/admin/api/outcomes/kinds').set('Authorization', 'Bearer wrong').expect(401);
    const kinds = await request(app).get('/admin/api/outcomes/kinds').set(auth).expect(200);
    assert.deepEqual(
      kinds.body.map((k: { name: string }) => k.name),
      ['payroll', 'plan_participation', 'claims', 'hris'],
    );
  });

  it('stages an uploaded CSV with a query-string mapping, reports, accepts and lists it', async () => {
    const { app, base } = await setup();
    const text = csv(['Emp', ...PAYROLL_HEADER.slice(1)], payrollRows(10, 2));
    const staged = await request(app)
      .post(`${base}/imports?kind=payroll&map=Emp=employee_id&fileName=jan.csv`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(text)
      .expect(201);
    assert.equal(staged.body.status, 'staged');
    assert.equal(staged.headers.location, `${base}/imports/${staged.body.id}`);
    assert.deepEqual(staged.body.progress, {
      fraction: 1,
      bytesRead: Buffer.byteLength(text),
      bytesTotal: Buffer.byteLength(text),
      rowsParsed: 20,
      rowsInvalid: 0,
    });
    assert.equal(staged.body.report.acceptable, true);
    assert.equal(staged.body.links.accept, `${base}/imports/${staged.body.id}/accept`);

    const accepted = await request(app).post(staged.body.links.accept).set(auth).expect(200);
    assert.equal(accepted.body.status, 'accepted');
    assert.deepEqual(accepted.body.applied, { inserted: 20, updated: 0, unchanged: 0, peopleCreated: 0 });
    assert.equal(accepted.body.acceptedBy, 'api:admin');

    const listed = await request(app).get(`${base}/imports`).set(auth).expect(200);
    assert.deepEqual(
      listed.body.map((i: { id: string; fileName: string }) => [i.id, i.fileName]),
      [[staged.body.id, 'jan.csv']],
    );
    assert.equal(listed.body[0].report, undefined, 'lists leave the report out');
  });

  it('answers 400 naming the missing columns, and 412 when accepting a file with row errors', async () => {
    const { app, base } = await setup();
    const bad = await request(app)
      .post(`${base}/imports?kind=claims`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csv(['employee_id', 'cost'], [['E001', 5]]))
      .expect(400);
    assert.match(
      bad.body.error.message,
      /the required columns claim_id, claim_type, service_date are missing/,
    );

    const rows = payrollRows(3, 1);
    rows[0]![2] = 'lots';
    const staged = await request(app)
      .post(`${base}/imports?kind=payroll`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csv(PAYROLL_HEADER, rows))
      .expect(201);
    const refused = await request(app).post(`${base}/imports/${staged.body.id}/accept`).set(auth).expect(412);
    assert.match(refused.body.error.message, /the column deferral_pct is not a number on row 2/);

    const invalid = await request(app)
      .get(`${base}/imports/${staged.body.id}/rows?invalid=true`)
      .set(auth)
      .expect(200);
    assert.deepEqual(invalid.body, [
      {
        rowNumber: 2,
        valid: false,
        values: {
          employee_id: 'E001',
          period: '2025-01',
          deferral_pct: 'lots',
          employer_match_amount: '51',
          contribution_amount: '100',
        },
        errors: [
          {
            field: 'deferral_pct',
            problem: 'not_a_number',
            message: 'the column deferral_pct is not a number',
          },
        ],
      },
    ]);
    const page = await request(app)
      .get(`${base}/imports/${staged.body.id}/rows?after=2&limit=1`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      page.body.map((r: { rowNumber: number; valid: boolean }) => [r.rowNumber, r.valid]),
      [[3, true]],
    );
  });

  it('takes JSON rows', async () => {
    const { app, base } = await setup();
    const res = await request(app)
      .post(`${base}/imports`)
      .set(auth)
      .send({
        kind: 'hris',
        rows: [{ employee_id: 'E001', period: '2025-01', absence_days: 1, productivity_index: 100 }],
        options: { nullRateThresholds: { separation_date: 1 } },
      })
      .expect(201);
    assert.equal(res.body.source, 'json');
    assert.equal(res.body.report.acceptable, true);
  });

  it('shows progress while a large file is still uploading', async () => {
    const { app, base } = await setup(2000);
    const created = await request(app)
      .post(`${base}/imports`)
      .set(auth)
      .send({ kind: 'payroll', fileName: 'big.csv' })
      .expect(201);
    assert.equal(created.body.status, 'created');
    const text = csv(PAYROLL_HEADER, payrollRows(2000, 3));
    const bytes = Buffer.from(text);
    const half = bytes.indexOf('\n', bytes.length / 2) + 1;

    const server = http.createServer(app).listen(0);
    try {
      const port = (server.address() as AddressInfo).port;
      const upload = http.request({
        port,
        method: 'PUT',
        path: created.body.links.file,
        headers: { ...auth, 'Content-Type': 'text/csv', 'Content-Length': bytes.length },
      });
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        upload.on('response', (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        upload.on('error', reject);
      });
      upload.write(bytes.subarray(0, half));
      let mid;
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        mid = (await request(server).get(`${base}/imports/${created.body.id}`).set(auth).expect(200)).body;
        if (mid.progress.rowsParsed >= 2000) break;
      }
      assert.equal(mid.status, 'staging');
      assert.ok(mid.progress.fraction > 0 && mid.progress.fraction < 1, `fraction ${mid.progress.fraction}`);
      assert.ok(mid.progress.rowsParsed >= 2000 && mid.progress.rowsParsed < 6000);
      upload.end(bytes.subarray(half));
      const done = await response;
      assert.equal(done.status, 200);
      assert.equal(JSON.parse(done.body).progress.rowsParsed, 6000);
    } finally {
      server.close();
    }
  });

  it('imports the employee-id mapping, and refuses a file with conflicts as a whole', async () => {
    const { app, base } = await setup(0);
    const ok = await request(app)
      .post(`${base}/people/imports`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send('employee_id,email\nE001,a@example.com\nE002,b@example.com\n')
      .expect(200);
    assert.equal(ok.body.created, 2);
    const bad = await request(app)
      .post(`${base}/people/imports`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send('employee_id,email\nE003,c@example.com\nE003,d@example.com\n')
      .expect(400);
    assert.match(
      bad.body.error.message,
      /Nothing was imported: the employee id appears earlier in the file on row 3/,
    );
  });
});
