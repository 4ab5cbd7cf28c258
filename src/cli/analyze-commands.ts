import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ValidationError } from '../errors.js';
import {
  analyze,
  settingFromText,
  detectFormat,
  type AnalyzeMethod,
  type AnalyzeOutput,
  type MethodOption,
} from '../reports/analyze/method.js';
import { ANALYZE_METHODS } from '../reports/analyze/registry.js';
import { createOutput } from './output.js';

/**
 * `yardstick analyze <method> --input FILE [--json]`: every estimator on an exported file, so an
 * analyst can rerun a report's numbers. `--input -` reads stdin; `--example` prints an example input.
 */
export function registerAnalyzeCommands(program: Command): void {
  const analyzeCommand = program
    .command('analyze')
    .description('rerun an estimator on a JSON or CSV file (see docs/analyze.md)');
  for (const method of ANALYZE_METHODS)
    registerMethod(program, analyzeCommand, method as unknown as AnalyzeMethod);
}

function registerMethod(program: Command, parent: Command, method: AnalyzeMethod): void {
  const command = parent
    .command(method.id)
    .description(`${method.summary} (R: ${method.reference})`)
    .option(
      '--input <file>',
      `input file (${method.formats.map((f) => f.toUpperCase()).join(' or ')}), or - for stdin`,
    )
    .addOption(
      new Option('--format <format>', 'input format when the file name does not say').choices([
        ...method.formats,
      ]),
    )
    .option('--example', 'print an example input (JSON, or CSV with --format csv) and exit');
  for (const option of method.options) command.option(option.flags, option.description);
  command.action(async (opts: Record<string, unknown>) => {
    if (opts.example) {
      process.stdout.write(exampleText(method, opts.format as string | undefined));
      if (opts.format === 'csv' && method.example.csvArgs?.length) {
        process.stderr.write(
          `run it with: yardstick analyze ${method.id} --input FILE.csv ${method.example.csvArgs.join(' ')}\n`,
        );
      }
      return;
    }
    const out = createOutput(program.opts().json);
    const settings = readSettings(method.options, opts);
    const { text, source } = await readInput(method, opts.input as string | undefined);
    const format = detectFormat(source, text, opts.format as string | undefined);
    const result = analyze(method, { text, format, source }, settings);
    out.result(result, () => humanReport(method, result));
  });
}

function exampleText(method: AnalyzeMethod, format: string | undefined): string {
  if (format === 'csv') {
    if (!method.example.csv) throw new ValidationError(`${method.id} has no CSV form; its input is JSON`);
    return method.example.csv;
  }
  return `${JSON.stringify(method.example.json, null, 2)}\n`;
}

async function readInput(
  method: AnalyzeMethod,
  input: string | undefined,
): Promise<{ text: string; source: string }> {
  if (input === undefined) {
    if (method.formats.includes('json') && method.options.length > 0 && !method.formats.includes('csv')) {
      return { text: '{}', source: 'command-line options' };
    }
    throw new ValidationError(
      `give the data with --input FILE (or --input - for stdin); 'yardstick analyze ${method.id} --example' prints an example`,
      [{ path: 'option --input', message: 'required' }],
    );
  }
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), source: 'stdin' };
  }
  try {
    return { text: await readFile(input, 'utf8'), source: input };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ValidationError(
      code === 'ENOENT'
        ? `the input file ${input} does not exist`
        : `cannot read ${input}: ${(error as Error).message}`,
      [{ path: 'option --input', message: code ?? 'unreadable' }],
    );
  }
}

/** Command-line values converted to the types of the JSON form (see settingFromText). */
function readSettings(
  options: readonly MethodOption[],
  opts: Record<string, unknown>,
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const option of options) {
    const raw = opts[new Option(option.flags).attributeName()];
    if (raw !== undefined) settings[option.key] = settingFromText(option, raw as string | boolean);
  }
  return settings;
}

function humanReport(method: AnalyzeMethod, output: AnalyzeOutput): string {
  const summary = Object.entries(output.input.summary)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(', ');
  const lines = [
    `${output.methodName} (${output.method})`,
    `Input: ${output.input.source} (${output.input.format}): ${summary}`,
    '',
    ...method.human(output),
  ];
  if (output.warnings.length) lines.push('', 'Warnings:', ...output.warnings.map((w) => `  - ${w}`));
  lines.push('', 'Assumptions:', ...output.assumptions.map((a) => `  - ${a}`));
  lines.push('', `Matches R: ${output.reference}`);
  return lines.join('\n');
}
