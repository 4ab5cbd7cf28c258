import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { layers } from '../../../eslint.layers.mjs';
import { importCycles, importGraph } from '../../support/import-graph.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const rel = (f: string) => path.relative(root, f);

describe('the layering rules (eslint.layers.mjs)', () => {
  it('name only folders and files that exist, so no rule guards nothing', () => {
    const named = [
      ...layers.domain.map((d) => `src/${d}`),
      ...layers.calculators.map((d) => `src/${d}`),
      ...layers.composition.map((g) => g.replace(/\/\*\*$/, '')),
    ];
    const missing = named.filter((p) => !existsSync(path.join(root, p)));
    assert.deepEqual(missing, [], `eslint.layers.mjs names paths that do not exist: ${missing.join(', ')}`);
    for (const d of [...layers.domain, ...layers.calculators])
      assert.ok(statSync(path.join(root, 'src', d)).isDirectory(), `src/${d} is not a folder`);
  });

  it('cover every top-level folder of src, so a new area cannot escape them', () => {
    const covered = new Set([...layers.domain, 'web', 'storage', 'cli', 'dev']);
    const folders = importGraph(path.join(root, 'src'))
      .files.map((f) => rel(f).split('/'))
      .filter((parts) => parts.length > 2)
      .map((parts) => parts[1]!);
    const uncovered = [...new Set(folders)].filter((f) => !covered.has(f));
    assert.deepEqual(uncovered, [], `add these src folders to eslint.layers.mjs: ${uncovered.join(', ')}`);
  });
});

describe('the import graph of src', () => {
  it('has no cycle of value imports', () => {
    const cycles = importCycles(importGraph(path.join(root, 'src'))).map((c) => c.map(rel).join(' <-> '));
    assert.deepEqual(cycles, []);
  });

  it('finds a cycle when there is one (the detector itself works)', () => {
    const dir = path.join(root, 'test', 'fixtures', 'import-cycle');
    const cycles = importCycles(importGraph(dir)).map((c) => c.map((f) => path.basename(f)));
    assert.deepEqual(cycles, [['a.ts', 'b.ts']], 'a <-> b is a cycle; c imports b but nothing loads c');
  });
});

describe('the lint rules, tried with a forbidden import in each layer', function () {
  this.timeout(60_000);
  const cases: { file: string; imports: string; why: RegExp }[] = [
    {
      file: 'src/storage/repositories/x-repository.ts',
      imports: '../../learning/flow/learner-flow-service.js',
      why: /but its areas' model.ts files/,
    },
    {
      file: 'src/xapi/statements/x.ts',
      imports: '../../web/async-route.js',
      why: /only composition code reads config/,
    },
    { file: 'src/learning/flow/x.ts', imports: '../../dev/demo/demo-modules.js', why: /Development code/ },
    { file: 'src/web/routes/x.ts', imports: 'ltijs', why: /Only src\/lti\/ltijs/ },
    { file: 'src/reports/stats/x.ts', imports: '../../storage/database.js', why: /Calculators are pure/ },
    { file: 'src/reports/kpi/x.ts', imports: 'express', why: /no HTTP inside/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.imports} in ${c.file}`, async () => {
      const { ESLint } = await import('eslint');
      const eslint = new ESLint({ cwd: root });
      const [result] = await eslint.lintText(`import * as x from '${c.imports}';\nexport default x;\n`, {
        filePath: path.join(root, c.file),
      });
      const messages = result!.messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => m.message);
      assert.ok(
        messages.some((m) => c.why.test(m)),
        `expected a layering error, got: ${JSON.stringify(messages)}`,
      );
    });
  }

  it('allows a storage repository to import a domain model file, nested ones too', async () => {
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: root });
    const [nested] = await eslint.lintText(
      `import type * as m from '../../reports/kpi/model.js';\nexport type X = m.X;\n`,
      {
        filePath: path.join(root, 'src/storage/repositories/x-repository.ts'),
      },
    );
    assert.deepEqual(
      nested!.messages.filter((m) => m.ruleId === 'no-restricted-imports'),
      [],
    );
    const [result] = await eslint.lintText(
      `import type * as m from '../../learning/model.js';\nexport type X = m.X;\n`,
      {
        filePath: path.join(root, 'src/storage/repositories/x-repository.ts'),
      },
    );
    assert.deepEqual(
      result!.messages.filter((m) => m.ruleId === 'no-restricted-imports'),
      [],
    );
  });
});
