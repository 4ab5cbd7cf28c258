import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { analyze, type AnalyzeOutput } from '../../../src/reports/analyze/method.js';
import { ANALYZE_METHODS } from '../../../src/reports/analyze/registry.js';
import { childEnv, repoRoot, runProcess } from '../../support/spawn-process.js';
import { fixture } from '../../unit/reports/analyze/run-method.js';

const fixtures = path.join('test', 'fixtures', 'analyze');

/** Runs `yardstick ...` as a real process (no database is needed for analyze). */
const cli = (...args: string[]) => runProcess(['bin/yardstick.js', ...args], childEnv({}));

/** Runs `yardstick ...` with `input` on stdin. */
function cliWithStdin(
  input: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/yardstick.js', ...args], {
      cwd: repoRoot,
      env: childEnv({}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    // 'close': after the piped output is read (at 'exit' its last lines may still be unread).
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function parseOutput(result: {
  code: number | null;
  stdout: string;
  stderr: string;
}): AnalyzeOutput<Record<string, unknown>> {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as AnalyzeOutput<Record<string, unknown>>;
}

describe('yardstick analyze (real process)', function () {
  this.timeout(120000);

  it('lists every method in analyze --help', async () => {
    const help = await cli('analyze', '--help');
    assert.equal(help.code, 0, help.stderr);
    for (const method of ANALYZE_METHODS)
      assert.match(help.stdout, new RegExp(`\\b${method.id} \\[options\\]`));
  });

  for (const method of ANALYZE_METHODS) {
    it(`runs ${method.id} on its JSON${method.example.csv ? ' and CSV' : ''} fixture, matching the in-process result`, async () => {
      const runs = [cli('analyze', method.id, '--input', path.join(fixtures, `${method.id}.json`), '--json')];
      if (method.example.csv) {
        runs.push(
          cli(
            'analyze',
            method.id,
            '--input',
            path.join(fixtures, `${method.id}.csv`),
            ...(method.example.csvArgs ?? []),
            '--json',
          ),
        );
      }
      const [fromJson, fromCsv] = (await Promise.all(runs)).map(parseOutput);
      const expected = analyze(method, { text: fixture(`${method.id}.json`), format: 'json', source: 'x' });
      assert.equal(fromJson!.method, method.id);
      assert.equal(fromJson!.input.format, 'json');
      assert.deepEqual(fromJson!.result, JSON.parse(JSON.stringify(expected.result)));
      assert.deepEqual(fromJson!.assumptions, expected.assumptions);
      assert.deepEqual(fromJson!.warnings, expected.warnings);
      assert.equal(fromJson!.reference, expected.reference);
      if (fromCsv) {
        assert.equal(fromCsv.input.format, 'csv');
        assert.equal(fromCsv.method, method.id);
        if (method.id !== 'roi') assert.deepEqual(fromCsv.result, fromJson!.result);
      }
    });
  }

  it('reproduces worked example 2 exactly (the unit tests run all five)', async () => {
    const out = parseOutput(
      await cli('analyze', 'roi', '--input', path.join(fixtures, 'roi-worked-example-2.json'), '--json'),
    );
    assert.deepEqual(out.result.roiPercent, { exact: '650/3', display: '216.7', value: 650 / 3 });
  });

  it('prints a readable summary with warnings, assumptions and the R reference without --json', async () => {
    const result = await cli('analyze', 'did', '--input', path.join(fixtures, 'did.csv'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /difference-in-differences: 0\.6500/);
    assert.match(result.stdout, /Warnings:\n {2}- only 6 clusters/);
    assert.match(result.stdout, /Assumptions:\n {2}- Parallel trends/);
    assert.match(result.stdout, /Matches R: lm\(y ~ treated \* post\)/);
  });

  it('prints example inputs with --example', async () => {
    const [json, csv] = await Promise.all([
      cli('analyze', 'wilson', '--example'),
      cli('analyze', 'did', '--example', '--format', 'csv'),
    ]);
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(fixture('wilson.json')));
    assert.equal(csv.stdout, fixture('did.csv'));
  });

  it('reads stdin with --input - and takes options over the file', async () => {
    const out = parseOutput(
      await cliWithStdin(
        fixture('quantiles.csv'),
        'analyze',
        'quantiles',
        '--input',
        '-',
        '--probs',
        '0.25,0.75',
        '--json',
      ),
    );
    assert.equal(out.input.source, 'stdin');
    assert.equal(out.input.format, 'csv');
    assert.deepEqual(out.result.probs, [0.25, 0.75]);
  });

  it('solves power from options alone', async () => {
    const out = parseOutput(await cli('analyze', 'power', '--d', '0.5', '--n-per-group', '64', '--json'));
    assert.equal(out.result.solvedFor, 'power');
    assert.ok(Math.abs((out.result.power as number) - 0.8015) < 1e-3);
  });

  it('exits 1 with every problem of a bad CSV, as a JSON error and on stderr', async () => {
    const bad = 'unit_id,cluster_id,treated,post,y\nA,c1,1,0,\nB,c1,maybe,1,2\nC,c2,1,0,1\nD,,0,1,\n';
    const result = await cliWithStdin(bad, 'analyze', 'did', '--input', '-', '--json');
    assert.equal(result.code, 1);
    const error = JSON.parse(result.stdout).error;
    assert.equal(error.code, 'invalid');
    assert.deepEqual(error.details.map((d: { message: string }) => d.message).sort(), [
      'the CSV column cluster_id is empty on row 5',
      'the CSV column treated must be 1/0, true/false or yes/no but is not on row 3 ("maybe")',
      'the CSV column y is empty on rows 2 and 5',
      'the file has 4 data row(s); at least 5 are needed',
    ]);
    assert.match(result.stderr, /stdin has 4 problems; fix and rerun/);
  });

  it('explains a missing input file and a missing --input', async () => {
    const [missing, none] = await Promise.all([
      cli('analyze', 'wilson', '--input', 'no-such-file.csv'),
      cli('analyze', 'trend'),
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /the input file no-such-file\.csv does not exist/);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /give the data with --input FILE/);
  });
});
