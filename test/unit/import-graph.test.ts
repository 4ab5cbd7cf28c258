import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { importsOf, resolveRelative, staticClosure } from '../support/import-graph.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const src = (...p: string[]) => path.join(root, 'src', ...p);
const within = (file: string, folder: string) => file.startsWith(folder + path.sep);
const rel = (file: string) => path.relative(root, file);

function tsFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(folder, f));
}

/** Files under `folder` reached from the entries, each shown with the import chain that reaches it. */
function reachedUnder(entries: string[], folder: string): string[] {
  return [...staticClosure(entries)]
    .filter(([file]) => within(file, folder))
    .map(([, chain]) => chain.map(rel).join(' -> '));
}

describe('the import graph', () => {
  it('production start (src/server.ts, src/app.ts) loads nothing under src/dev through static imports', () => {
    assert.deepEqual(reachedUnder([src('server.ts'), src('app.ts')], src('dev')), []);
  });

  it('sees src/dev where composition code imports it statically (the walk can fail)', () => {
    const harness = path.join(root, 'test', 'support', 'lti-harness.ts');
    assert.ok(reachedUnder([harness], src('dev')).length > 0);
  });

  it('server.ts reaches the development LMS only through import()', () => {
    const { all, staticRelative } = importsOf(src('server.ts'));
    assert.ok(all.includes('./dev/dev-server.js'));
    assert.ok(!staticRelative.some((s) => s.startsWith('./dev/')));
  });

  it('nothing under src/lti imports src/web', () => {
    const offenders = tsFiles(src('lti')).flatMap((file) =>
      importsOf(file)
        .all.filter((s) => s.startsWith('.') && within(resolveRelative(file, s), src('web')))
        .map((s) => `${rel(file)} imports ${s}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('only src/lti/ltijs imports ltijs (statically, by import() or by require())', () => {
    const offenders = tsFiles(src())
      .filter((file) => !within(file, src('lti', 'ltijs')))
      .flatMap((file) =>
        importsOf(file)
          .all.filter((s) => s === 'ltijs' || s.startsWith('ltijs/') || s.startsWith('ltijs-'))
          .map((s) => `${rel(file)} imports ${s}`),
      );
    assert.deepEqual(offenders, []);
  });
});
