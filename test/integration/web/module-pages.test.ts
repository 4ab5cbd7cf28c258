import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/app.js';
import { createServices, type Services } from '../../../src/services.js';
import { ForbiddenError } from '../../../src/errors.js';
import { fullModuleContent, onePageContent } from '../../fixtures/modules.js';
import { moduleStatement, storeStatements } from '../../fixtures/module-statements.js';

/** The module authoring pages over real HTTP, with access stubbed as an admin session gives it. */
describe('module authoring pages', () => {
  const testDb = useTestDatabase();
  const origin = 'http://localhost:3000';
  let services: Services;
  let app: ReturnType<typeof createApp>;
  let tenantId: string;
  let otherTenantId: string;

  const get = (path: string, tenant = tenantId) => request(app).get(path).set('x-test-tenant', tenant);
  const post = (path: string, tenant = tenantId) =>
    request(app).post(path).set('x-test-tenant', tenant).set('Origin', origin).type('form');

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Pages Co')).id;
    otherTenantId = (await services.tenants.create('Elsewhere')).id;
    const guard: RequestHandler = (req, res, next) => {
      const tenant = req.get('x-test-tenant');
      if (!tenant) return next(new ForbiddenError('Open this page from the LMS as an administrator.'));
      res.locals.tenantId = tenant;
      next();
    };
    app = createApp({
      config: loadConfig({ env: { NODE_ENV: 'test', PUBLIC_URL: origin } }),
      logger: createLogger({ level: 'silent', pretty: false }),
      services,
      database: { serverVersion: 'test', source: 'embedded' },
      adminPages: { guard, tenantId: (res) => res.locals.tenantId as string },
    });
  });

  it('creates a module from the form and opens its first draft', async () => {
    const res = await post('/admin/modules').send('title=Manual+handling&programId=').expect(303);
    const moduleId = /\/admin\/modules\/([0-9a-f-]+)\/draft$/.exec(res.headers.location!)![1]!;
    const editor = await get(`/admin/modules/${moduleId}/draft`).expect(200);
    assert.match(editor.text, /Saving creates the first draft/);
    assert.match(editor.text, /name="pages\[0\]\.body"/);
    const list = await get('/admin/modules').expect(200);
    assert.match(list.text, /Manual handling/);
  });

  it('keeps a refused title and shows the error next to the field', async () => {
    await services.modules.create(tenantId, { title: 'Taken' });
    const res = await post('/admin/modules').send('title=taken').expect(400);
    assert.match(res.text, /id="new-title-error">already used by another module/);
    assert.match(res.text, /value="taken"/);
  });

  it('shows per-field errors next to the fields and keeps what was typed; nothing is saved', async () => {
    const m = await services.modules.create(tenantId, { title: 'Errors' });
    const form = new URLSearchParams({
      'pages[0].id': 'intro',
      'pages[0].title': 'Intro',
      'pages[0].format': 'markdown',
      'pages[0].body': '',
      sections: 'postTest',
      'postTest.masteryScore': 'lots',
      'postTest.questions[0].type': 'single-choice',
      'postTest.questions[0].id': 'q1',
      'postTest.questions[0].prompt': 'Pick one',
      'postTest.questions[0].choices[0].id': 'a',
      'postTest.questions[0].choices[0].text': 'Alpha typed',
      'postTest.questions[0].choices[1].id': 'b',
      'postTest.questions[0].choices[1].text': 'Beta',
      attemptLimit: '0',
      action: 'save',
    });
    const res = await post(`/admin/modules/${m.id}/draft`).send(form.toString()).expect(400);
    assert.match(res.text, /id="f-pages-0-body-error">.*the page body is empty/s);
    assert.match(res.text, /id="f-postTest-masteryScore-error">.*must be a number/s);
    assert.match(res.text, /value="lots"/);
    assert.match(
      res.text,
      /name="pages\[0\]\.body" rows="8" aria-invalid="true" aria-describedby="f-pages-0-body-error"/,
    );
    assert.match(res.text, /value="Alpha typed"/);
    assert.match(res.text, /exactly one correct choice/);
    assert.match(res.text, /id="f-attemptLimit-error">.*at least 1/s);
    assert.match(res.text, /fix 4 problem\(s\)/);
    assert.equal(await services.modules.draft(tenantId, m.id), undefined);
  });

  it('adds a question of the chosen type without saving, then saves a valid draft and publishes it', async () => {
    const m = await services.modules.create(tenantId, { title: 'Builder' });
    const base = {
      'pages[0].id': 'p1',
      'pages[0].title': 'Welcome',
      'pages[0].format': 'markdown',
      'pages[0].body': '**Hello** <script>alert(1)</script>',
      sections: 'postTest',
      'postTest.masteryScore': '0.5',
      'postTest.questions[0].type': 'true-false',
      'postTest.questions[0].id': 'tf',
      'postTest.questions[0].prompt': 'Sky is blue',
      'postTest.questions[0].correct': 'true',
    };
    const added = await post(`/admin/modules/${m.id}/draft`)
      .send(
        new URLSearchParams({
          ...base,
          'newType.postTest': 'numeric',
          action: 'add-question:postTest',
        }).toString(),
      )
      .expect(200);
    assert.match(added.text, /Post-test question 2 · Numeric/);
    assert.match(added.text, /Not saved yet/);
    assert.match(added.text, /<strong>Hello<\/strong>/, 'the preview renders Markdown');
    assert.doesNotMatch(added.text, /<script>alert/, 'and sanitizes it');
    assert.equal(await services.modules.draft(tenantId, m.id), undefined);

    const saved = await post(`/admin/modules/${m.id}/draft`)
      .send(
        new URLSearchParams({
          ...base,
          'postTest.questions[1].type': 'numeric',
          'postTest.questions[1].id': 'n',
          'postTest.questions[1].prompt': 'Two plus two',
          'postTest.questions[1].correct': '4',
          'postTest.questions[1].tolerance': '0',
          attemptLimit: '2',
          action: 'save',
        }).toString(),
      )
      .expect(303);
    assert.equal(saved.headers.location, `/admin/modules/${m.id}/draft?saved=1`);
    const draft = await services.modules.draft(tenantId, m.id);
    assert.deepEqual(draft!.content.postTest!.questions[1], {
      id: 'n',
      type: 'numeric',
      prompt: 'Two plus two',
      correct: 4,
      tolerance: 0,
    });
    assert.equal(draft!.content.attemptLimit, 2);

    await post(`/admin/modules/${m.id}/publish`).expect(303);
    const page = await get(`/admin/modules/${m.id}?published=1`).expect(200);
    assert.match(page.text, /Published version 1/);
    const exported = await get(`/admin/modules/${m.id}/versions/1/export`).expect(200);
    assert.equal(JSON.parse(exported.text).content.postTest.questions[0].correct, true);
  });

  it('round-trips every question type through the editor form unchanged', async () => {
    const m = await services.modules.create(tenantId, { title: 'Round trip form' });
    await services.modules.saveDraft(tenantId, m.id, fullModuleContent());
    const editor = await get(`/admin/modules/${m.id}/draft`).expect(200);
    // Re-post exactly what the page shows, like a browser pressing "Save draft".
    const fields = formFields(editor.text);
    await post(`/admin/modules/${m.id}/draft`).send(fields.toString()).expect(303);
    const draft = await services.modules.draft(tenantId, m.id);
    assert.deepEqual(draft!.content, fullModuleContent());
  });

  it('explains why a module without a draft cannot be published', async () => {
    const m = await services.modules.create(tenantId, { title: 'Nothing to publish' });
    const res = await post(`/admin/modules/${m.id}/publish`).expect(412);
    assert.match(res.text, /no draft to publish/);
  });

  it('imports pasted JSON; invalid JSON shows its errors and writes nothing', async () => {
    const before = (await services.modules.list(tenantId)).length;
    const bad = await post('/admin/modules/import')
      .send(
        new URLSearchParams({
          json: JSON.stringify({ format: 'yardstick-module/1', title: 'X', content: { pages: [] } }),
        }).toString(),
      )
      .expect(400);
    assert.match(bad.text, /content\.pages/);
    assert.equal((await services.modules.list(tenantId)).length, before);
    const file = JSON.stringify({
      format: 'yardstick-module/1',
      title: 'Uploaded',
      content: onePageContent(),
    });
    const ok = await request(app)
      .post('/admin/modules/import')
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .attach('file', Buffer.from(file), { filename: 'uploaded.json', contentType: 'application/json' })
      .expect(303);
    assert.match(ok.headers.location!, /^\/admin\/modules\/[0-9a-f-]+$/);
    assert.ok(
      (await services.modules.list(tenantId)).some((m) => m.title === 'Uploaded' && m.draftVersion === 1),
    );
  });

  it('renames a module and keeps a refused title in the form', async () => {
    const m = await services.modules.create(tenantId, { title: 'Old name' });
    await services.modules.create(tenantId, { title: 'Occupied' });
    await post(`/admin/modules/${m.id}/metadata`).send('title=New+name&programId=').expect(303);
    assert.equal((await services.modules.get(tenantId, m.id)).module.title, 'New name');
    const refused = await post(`/admin/modules/${m.id}/metadata`)
      .send('title=Occupied&programId=')
      .expect(400);
    assert.match(refused.text, /id="meta-title-error">already used/);
    assert.match(refused.text, /id="meta-title" name="title" maxlength="200" value="Occupied"/);
  });

  it('starts an experiment from the module page, shows per-arm rates with intervals, and stops it', async () => {
    const m = await services.modules.create(tenantId, { title: 'Experimented' });
    for (const body of ['one', 'two']) {
      await services.modules.saveDraft(tenantId, m.id, onePageContent(body));
      await services.modules.publish(tenantId, m.id);
    }
    const refused = await post(`/admin/modules/${m.id}/experiments`)
      .send('name=Same&armAVersion=1&armBVersion=1&allocationA=0.5&seed=')
      .expect(400);
    assert.match(refused.text, /different versions/);
    assert.match(refused.text, /id="exp-b-error">same version as arm A/);
    const badShare = await post(`/admin/modules/${m.id}/experiments`)
      .send('name=Typed+name&armAVersion=1&armBVersion=2&allocationA=1.5&seed=')
      .expect(400);
    assert.match(badShare.text, /id="exp-alloc-error">the share of arm A must be below 1/);
    assert.match(badShare.text, /value="Typed name"/);
    await post(`/admin/modules/${m.id}/experiments`)
      .send('name=Page+order&armAVersion=1&armBVersion=2&allocationA=0.5&seed=99')
      .expect(303);
    const [e] = await services.moduleExperiments.list(tenantId, m.id);
    assert.equal(e!.seed, 99);
    const statements = [
      moduleStatement(tenantId, m.id, 'l1', 'launched', 1),
      moduleStatement(tenantId, m.id, 'l1', 'completed', 1),
      moduleStatement(tenantId, m.id, 'l2', 'launched', 1),
      moduleStatement(tenantId, m.id, 'l3', 'launched', 2),
      moduleStatement(tenantId, m.id, 'l3', 'completed', 2),
    ];
    await storeStatements(services, 'Pages Co', statements);
    const page = await get(`/admin/modules/${m.id}`).expect(200);
    assert.match(page.text, /Page order <span class="muted">\(running\)/);
    assert.match(page.text, /seed 99/);
    assert.match(
      page.text,
      /50\.0% \(\d+\.\d% to \d+\.\d%; 1 of 2\)/,
      'arm A completion with its Wilson interval',
    );
    assert.match(page.text, /100\.0% \(\d+\.\d% to 100\.0%; 1 of 1\)/, 'arm B completion');
    assert.match(page.text, /Completion, B − A<\/dt><dd>50\.0 points/);
    await post(`/admin/modules/${m.id}/experiments/${e!.id}/stop`).expect(303);
    assert.match(
      (await get(`/admin/modules/${m.id}`).expect(200)).text,
      /Page order <span class="muted">\(stopped/,
    );
  });

  it('refuses a form posted from another site', async () => {
    const m = await services.modules.create(tenantId, { title: 'CSRF' });
    await request(app)
      .post(`/admin/modules/${m.id}/publish`)
      .set('x-test-tenant', tenantId)
      .set('Origin', 'https://evil.example')
      .set('Accept', 'application/json')
      .expect(403);
  });

  it('does not show or change another tenant’s module', async () => {
    const m = await services.modules.create(tenantId, { title: 'Ours alone' });
    await services.modules.saveDraft(tenantId, m.id, onePageContent());
    await get(`/admin/modules/${m.id}`, otherTenantId).expect(404);
    await get(`/admin/modules/${m.id}/draft`, otherTenantId).expect(404);
    await post(`/admin/modules/${m.id}/publish`, otherTenantId).expect(404);
    assert.equal((await services.modules.draft(tenantId, m.id))!.status, 'draft');
  });
});

/** The fields a browser would submit from the editor page (text inputs, textareas, selects, checked boxes). */
function formFields(html: string): URLSearchParams {
  const form = html.slice(html.indexOf('<form method="post" action="/admin/modules/'));
  const out = new URLSearchParams();
  const decode = (s: string) =>
    s
      .replace(/&#x([0-9a-f]+);/gi, (_m, h) => String.fromCharCode(parseInt(h, 16)))
      .replace(/&quot;/g, '"')
      .replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
  for (const m of form.matchAll(
    /<input ([^>]*)>|<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>|<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g,
  )) {
    if (m[1] !== undefined) {
      const attr = (n: string) => new RegExp(`${n}="([^"]*)"`).exec(m[1]!)?.[1];
      const type = attr('type');
      if ((type === 'checkbox' || type === 'radio') && !/\schecked/.test(` ${m[1]}`)) continue;
      out.append(
        decode(attr('name')!),
        type === 'checkbox' && attr('value') === undefined ? 'on' : decode(attr('value') ?? ''),
      );
    } else if (m[2] !== undefined) out.append(decode(m[2]), decode(m[3]!));
    else {
      const selected =
        /<option value="([^"]*)" selected>/.exec(m[5]!)?.[1] ??
        /<option value="([^"]*)"/.exec(m[5]!)?.[1] ??
        '';
      out.append(decode(m[4]!), decode(selected));
    }
  }
  out.set('action', 'save');
  return out;
}
