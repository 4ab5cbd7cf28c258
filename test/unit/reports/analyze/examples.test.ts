import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { settingFromText, type MethodOption } from '../../../../src/reports/analyze/method.js';
import { ANALYZE_METHODS } from '../../../../src/reports/analyze/registry.js';
import { fixture, fixturesDir, runCsv, runJson } from './run-method.js';

const docs = readFileSync(
  path.resolve(import.meta.dirname, '..', '..', '..', '..', 'docs', 'analyze.md'),
  'utf8',
);

/** Code blocks of one `## <id>` section of docs/analyze.md. */
function sectionBlocks(id: string): { lang: string; body: string }[] {
  const start = docs.indexOf(`\n## ${id}\n`);
  assert.ok(start >= 0, `docs/analyze.md has a section ## ${id}`);
  const end = docs.indexOf('\n## ', start + 1);
  const section = docs.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** Command-line arguments as the settings object the CLI would build. */
function settingsFrom(args: readonly string[], options: readonly MethodOption[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i += 2) {
    const option = options.find((o) => o.flags.split(' ')[0] === args[i]);
    assert.ok(option, `${args[i]} is an option`);
    settings[option.key] = settingFromText(option, args[i + 1]!);
  }
  return settings;
}

describe('analyze examples', () => {
  for (const method of ANALYZE_METHODS) {
    describe(method.id, () => {
      it('keeps the example fixture identical to --example', () => {
        assert.deepEqual(JSON.parse(fixture(`${method.id}.json`)), method.example.json);
        const csvFile = path.join(fixturesDir, `${method.id}.csv`);
        assert.equal(existsSync(csvFile), method.example.csv !== undefined);
        if (method.example.csv) assert.equal(fixture(`${method.id}.csv`), method.example.csv);
      });

      it('shows the same examples in docs/analyze.md, and every example there runs', () => {
        const blocks = sectionBlocks(method.id);
        const json = blocks.filter((b) => b.lang === 'json').map((b) => JSON.parse(b.body));
        assert.ok(
          json.some((j) => JSON.stringify(j) === JSON.stringify(method.example.json)),
          'the JSON example is shown',
        );
        for (const value of json) runJson(method, value);
        const csv = blocks.filter((b) => b.lang === 'csv').map((b) => b.body);
        assert.deepEqual(csv, method.example.csv ? [method.example.csv] : []);
        for (const text of csv)
          runCsv(method, text, settingsFrom(method.example.csvArgs ?? [], method.options));
      });
    });
  }
});
