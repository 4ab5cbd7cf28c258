import assert from 'node:assert/strict';
import { analyze, detectFormat } from '../../../../src/reports/analyze/method.js';
import { ANALYZE_METHODS, findMethod } from '../../../../src/reports/analyze/registry.js';
import { powerMethod } from '../../../../src/reports/analyze/power-method.js';
import { wilsonMethod } from '../../../../src/reports/analyze/wilson-method.js';
import { validationError } from './run-method.js';

describe('analyze pipeline', () => {
  it('offers the ten methods of the issue', () => {
    assert.deepEqual(ANALYZE_METHODS.map((m) => m.id).sort(), [
      'bootstrap-roi',
      'did',
      'paired',
      'power',
      'psm',
      'quantiles',
      'randomized',
      'roi',
      'trend',
      'wilson',
    ]);
    assert.equal(findMethod('nope'), undefined);
  });

  it('wraps every result in the envelope naming method, assumptions, warnings and reference', () => {
    for (const method of ANALYZE_METHODS) {
      const out = analyze(method, {
        text: JSON.stringify(method.example.json),
        format: 'json',
        source: 'x.json',
      });
      assert.deepEqual(Object.keys(out), [
        'method',
        'methodName',
        'input',
        'result',
        'assumptions',
        'warnings',
        'reference',
      ]);
      assert.equal(out.method, method.id);
      assert.ok(out.methodName.length > 0 && out.reference.length > 0, method.id);
      assert.ok(out.assumptions.length >= 2, `${method.id} lists its assumptions`);
      assert.ok(Array.isArray(out.warnings));
      assert.deepEqual(JSON.parse(JSON.stringify(out)), out, `${method.id} output is plain JSON`);
    }
  });

  it('detects the format from --format, the extension, or the text', () => {
    assert.equal(detectFormat('a.CSV', '{'), 'csv');
    assert.equal(detectFormat('a.json', 'x'), 'json');
    assert.equal(detectFormat('stdin', '  {"a":1}'), 'json');
    assert.equal(detectFormat('stdin', 'a,b\n'), 'csv');
    assert.equal(detectFormat('a.txt', '{', 'csv'), 'csv');
    assert.match(validationError(() => detectFormat('a', '', 'xml')).message, /--format must be json or csv/);
  });

  it('explains invalid JSON, a JSON array and a format the method does not read', () => {
    const run = (text: string, format: 'json' | 'csv' = 'json') =>
      analyze(wilsonMethod, { text, format, source: 'in.json' });
    assert.match(validationError(() => run('{"groups": [')).message, /in.json is not valid JSON/);
    assert.match(validationError(() => run('[1, 2]')).message, /must hold one JSON object .* not an array/);
    const power = () => analyze(powerMethod, { text: 'd,power\n0.3,0.8\n', format: 'csv', source: 'p.csv' });
    assert.match(validationError(power).message, /power reads JSON input, not CSV/);
  });

  it('lets command-line settings override the file and names the option when one is wrong', () => {
    const text = JSON.stringify({ confidence: 0.9, successes: 5, trials: 10 });
    const out = analyze(wilsonMethod, { text, format: 'json', source: 'in.json' }, { confidence: 0.8 });
    assert.equal(out.result.confidence, 0.8);
    const error = validationError(() =>
      analyze(wilsonMethod, { text, format: 'json', source: 'in.json' }, { confidence: Number('abc') }),
    );
    assert.equal(error.details[0]!.path, 'option --confidence');
  });

  it('reports CSV type problems and range problems of other cells together', () => {
    const error = validationError(() =>
      analyze(wilsonMethod, { text: 'successes,trials\nx,10\n3,0\n4,-1\n', format: 'csv', source: 'w.csv' }),
    );
    assert.match(error.message, /has 4 problems/);
    assert.match(error.message, /the CSV column successes must be a number but is not on row 2/);
    assert.match(error.message, /CSV column trials: trials must be at least 1 on rows 3 and 4/);
  });
});
