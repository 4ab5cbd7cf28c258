import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('the README', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

  it('documents every environment variable the configuration reads', () => {
    const envVars = JSON.parse(readFileSync(path.join(root, 'config', 'env-vars.json'), 'utf8')) as Record<
      string,
      { key: string }
    >;
    const missing = Object.entries(envVars).filter(
      ([name, spec]) => !readme.includes(`| \`${name}\` | \`${spec.key}\` |`),
    );
    assert.deepEqual(
      missing.map(([name]) => name),
      [],
    );
  });

  it('shows the two commands a newcomer needs', () => {
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /npm test/);
  });
});
