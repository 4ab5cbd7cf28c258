import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../../src/errors.js';
import { MODULE_FORMAT } from '../../../src/learning/authoring/module-export.js';
import { fullModuleContent, onePageContent } from '../../fixtures/modules.js';

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    return err as E;
  }
  assert.fail(`expected ${type.name}`);
}

describe('module authoring service (real PostgreSQL)', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;
  let otherTenantId: string;

  const count = async (table: 'module' | 'module_version') =>
    Number(
      (
        await testDb()
          .db.selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('tenant_id', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Authoring Co')).id;
    otherTenantId = (await services.tenants.create('Other Co')).id;
  });

  it('creates a module, saves a draft, publishes it as version 1 and starts version 2 on the next edit', async () => {
    const m = await services.modules.create(tenantId, { title: 'Forklift safety' });
    const draft = await services.modules.saveDraft(tenantId, m.id, fullModuleContent());
    assert.deepEqual([draft.version, draft.status], [1, 'draft']);
    const published = await services.modules.publish(tenantId, m.id);
    assert.deepEqual([published.version, published.status], [1, 'published']);
    assert.ok(published.publishedAt);
    const next = await services.modules.saveDraft(tenantId, m.id, onePageContent('Edited'));
    assert.equal(next.version, 2);
    const again = await services.modules.saveDraft(tenantId, m.id, onePageContent('Edited twice'));
    assert.equal(again.version, 2, 'saving again replaces the one draft');
    const { versions } = await services.modules.get(tenantId, m.id);
    assert.deepEqual(
      versions.map((v) => [v.version, v.status]),
      [
        [1, 'published'],
        [2, 'draft'],
      ],
    );
    assert.deepEqual(versions[0]!.content, fullModuleContent());
    const [summary] = (await services.modules.list(tenantId)).filter((s) => s.id === m.id);
    assert.deepEqual([summary!.publishedVersion, summary!.draftVersion], [1, 2]);
  });

  it('refuses invalid content with one detail per field and writes nothing', async () => {
    const m = await services.modules.create(tenantId, { title: 'Invalid content' });
    const before = await count('module_version');
    const bad = fullModuleContent() as unknown as {
      postTest: { masteryScore: number; questions: { id: string }[] };
    };
    bad.postTest.masteryScore = 2;
    bad.postTest.questions[1]!.id = 'q1';
    const err = await rejects(services.modules.saveDraft(tenantId, m.id, bad), ValidationError);
    assert.deepEqual(err.details.map((d) => d.path).sort(), [
      'postTest.masteryScore',
      'postTest.questions[1].id',
    ]);
    assert.equal(await count('module_version'), before);
  });

  it('explains that a module without a draft has nothing to publish', async () => {
    const m = await services.modules.create(tenantId, { title: 'Nothing yet' });
    const err = await rejects(services.modules.publish(tenantId, m.id), PreconditionFailedError);
    assert.match(err.message, /no draft to publish/);
  });

  it('refuses to publish a draft that became invalid (written around the service)', async () => {
    const m = await services.modules.create(tenantId, { title: 'Stale draft' });
    await services.modules.saveDraft(tenantId, m.id, onePageContent());
    await sql`UPDATE module_version SET content = '{"pages": []}'::jsonb WHERE tenant_id = ${tenantId} AND module_id = ${m.id}`.execute(
      testDb().db,
    );
    const err = await rejects(services.modules.publish(tenantId, m.id), ValidationError);
    assert.match(err.message, /draft \(version 1\) is not valid: pages/);
    assert.equal((await services.modules.draft(tenantId, m.id))?.status, 'draft');
  });

  it('keeps a published version immutable, even against a direct SQL UPDATE', async () => {
    const m = await services.modules.create(tenantId, { title: 'Immutable' });
    await services.modules.saveDraft(tenantId, m.id, onePageContent('Original'));
    await services.modules.publish(tenantId, m.id);
    await assert.rejects(
      sql`UPDATE module_version SET content = '{"pages": []}'::jsonb WHERE tenant_id = ${tenantId} AND module_id = ${m.id}`.execute(
        testDb().db,
      ),
      /is published and cannot change/,
    );
    const v1 = await services.modules.version(tenantId, m.id, 1);
    assert.deepEqual(v1.content, onePageContent('Original'));
  });

  it('refuses a second module with the same title (case-insensitive) and names the field', async () => {
    await services.modules.create(tenantId, { title: 'Ladder safety' });
    const err = await rejects(services.modules.create(tenantId, { title: 'LADDER SAFETY' }), ConflictError);
    assert.equal(err.details[0]!.path, 'title');
    await services.modules.create(otherTenantId, { title: 'Ladder safety' });
  });

  it('links a module to a program of the same tenant only', async () => {
    const program = await services.programs.create(tenantId, {
      name: 'Warehouse pilot',
      targetOutcomes: ['claims'],
    });
    const m = await services.modules.create(tenantId, { title: 'In a program', programId: program.id });
    assert.equal(m.programId, program.id);
    await rejects(
      services.modules.create(otherTenantId, { title: 'Wrong program', programId: program.id }),
      ValidationError,
    );
  });

  it('exports a version and imports it back as an identical new module', async () => {
    const m = await services.modules.create(tenantId, { title: 'Round trip' });
    await services.modules.saveDraft(tenantId, m.id, fullModuleContent());
    await services.modules.publish(tenantId, m.id);
    const exported = await services.modules.exportVersion(tenantId, m.id);
    assert.equal(exported.format, MODULE_FORMAT);
    assert.equal(exported.version, 1);
    const file = JSON.stringify({ ...exported, title: 'Round trip (copy)' });
    const imported = await services.modules.importModule(otherTenantId, file);
    assert.equal(imported.module.title, 'Round trip (copy)');
    assert.equal(imported.draft.status, 'draft');
    await services.modules.publish(otherTenantId, imported.module.id);
    const again = await services.modules.exportVersion(otherTenantId, imported.module.id);
    assert.deepEqual(again.content, exported.content);
    assert.deepEqual(again.content, fullModuleContent());
  });

  it('imports a file as a new draft of an existing module', async () => {
    const m = await services.modules.create(tenantId, { title: 'Import target' });
    await services.modules.saveDraft(tenantId, m.id, onePageContent('v1'));
    await services.modules.publish(tenantId, m.id);
    const { draft } = await services.modules.importModule(
      tenantId,
      { format: MODULE_FORMAT, title: 'ignored for existing modules', content: onePageContent('v2') },
      { moduleId: m.id },
    );
    assert.deepEqual([draft.version, draft.content], [2, onePageContent('v2')]);
  });

  it('writes nothing for an invalid import and reports paths from the file root', async () => {
    const modulesBefore = await count('module');
    const versionsBefore = await count('module_version');
    const err = await rejects(
      services.modules.importModule(tenantId, {
        format: MODULE_FORMAT,
        title: 'Broken import',
        content: { pages: [{ id: 'p1', title: 'P', format: 'markdown', body: '' }] },
      }),
      ValidationError,
    );
    assert.deepEqual(err.details, [{ path: 'content.pages[0].body', message: 'the page body is empty' }]);
    await rejects(services.modules.importModule(tenantId, 'not json'), ValidationError);
    assert.equal(await count('module'), modulesBefore);
    assert.equal(await count('module_version'), versionsBefore);
  });

  it('keeps tenants apart: another tenant cannot read, edit, publish or export a module', async () => {
    const m = await services.modules.create(tenantId, { title: 'Private' });
    await services.modules.saveDraft(tenantId, m.id, onePageContent());
    await rejects(services.modules.get(otherTenantId, m.id), NotFoundError);
    await rejects(services.modules.saveDraft(otherTenantId, m.id, onePageContent()), NotFoundError);
    await rejects(services.modules.publish(otherTenantId, m.id), NotFoundError);
    await rejects(services.modules.exportVersion(otherTenantId, m.id, 1), NotFoundError);
    assert.ok(!(await services.modules.list(otherTenantId)).some((s) => s.id === m.id));
  });
});
