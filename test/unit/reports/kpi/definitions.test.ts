import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  KPI_DEFINITIONS,
  definitionsMarkdown,
  kpiDefinition,
} from '../../../../src/reports/kpi/definitions.js';
import type { AttemptPolicy, DenominatorRule } from '../../../../src/cohorts/model.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');

describe('KPI definitions: one source for the docs and the pages', () => {
  it('docs/kpi-reports.md lists exactly the definitions the registry writes', () => {
    const doc = readFileSync(path.join(root, 'docs', 'kpi-reports.md'), 'utf8');
    const start = doc.indexOf('<!-- definitions:start -->\n');
    const end = doc.indexOf('<!-- definitions:end -->');
    assert.ok(start >= 0 && end > start, 'the doc keeps its definitions:start/end markers');
    const inDoc = doc.slice(start + '<!-- definitions:start -->\n'.length, end);
    assert.equal(
      inDoc,
      definitionsMarkdown(),
      'paste definitionsMarkdown() (src/reports/kpi/definitions.ts) between the markers',
    );
  });

  it('names each definition once', () => {
    const ids = KPI_DEFINITIONS.map((d) => d.id);
    assert.deepEqual(ids, [...new Set(ids)]);
  });

  it('states in its one-line rule which attempt and which learners each rule counts', () => {
    const policies: AttemptPolicy[] = ['first', 'best', 'latest'];
    const denominators: DenominatorRule[] = ['assigned', 'enrolled-now'];
    const lines = policies.flatMap((attemptPolicy) =>
      denominators.map((denominator) => kpiDefinition('mastery').rule({ attemptPolicy, denominator })),
    );
    assert.equal(new Set(lines).size, lines.length, 'every combination reads differently');
    assert.match(
      kpiDefinition('mastery').rule({ attemptPolicy: 'first', denominator: 'assigned' }),
      /first completed/,
    );
    assert.match(
      kpiDefinition('completion').rule({ attemptPolicy: 'first', denominator: 'assigned' }),
      /withdrawn ones included/,
    );
  });

  it('refuses an unknown definition id', () => {
    assert.throws(() => kpiDefinition('completion-rate'), /no KPI definition "completion-rate"/);
  });
});
