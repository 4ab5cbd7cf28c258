import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';
import { ValidationError } from '../errors.js';
import { DEFAULT_PACKAGE_LIMITS } from '../learning/cmi5/package-limits.js';
import type { ContentImport } from '../learning/cmi5/content-package-service.js';
import { WAIVER_REASONS } from '../learning/cmi5/au-waiver-service.js';

/** `yardstick content import|waive`: cmi5 course packages and AU waivers (docs/content-packages.md). */
export function registerContentCommands(program: Command): void {
  const cmd = program
    .command('content')
    .description('cmi5 course packages (Storyline, Rise, Captivate, iSpring)');
  const json = () => program.opts().json as boolean;

  cmd
    .command('import <file>')
    .description(
      'import a cmi5 zip as a new module, or as the next version of the module of the same course id',
    )
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--title <title>', 'title of a new module (default: the course title in cmi5.xml)')
    .option('--program <name>', 'program of a new module (name or id)')
    .action(async (file: string, o) => {
      const zip = await readPackage(file);
      const result = await withYardstick(async (y) => {
        const tenantId = (await y.services.tenants.getByName(o.tenant)).id;
        const programId = o.program ? (await y.services.programs.get(tenantId, o.program)).id : undefined;
        return y.services.contentPackages.importPackage(tenantId, zip, { title: o.title, programId });
      });
      createOutput(json()).result(summary(result), () => human(result));
    });

  cmd
    .command('waive')
    .description("waive a cmi5 AU for a learner's registration (cmi5 9.3.7): the LMS's waived statement")
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--registration <id>', "the learner's registration (attempt id)")
    .requiredOption('--au <id>', "the AU's id in cmi5.xml (au@id)")
    .requiredOption('--reason <reason>', `one of: ${WAIVER_REASONS.join(', ')}`)
    .action(async (o: { tenant: string; registration: string; au: string; reason: string }) => {
      const reason = WAIVER_REASONS.find((r) => r === o.reason);
      if (!reason)
        throw new ValidationError(
          `--reason "${o.reason}" is not a cmi5 reason; use one of: ${WAIVER_REASONS.join(', ')}.`,
        );
      const result = await withYardstick(async (y) => {
        const tenantId = (await y.services.tenants.getByName(o.tenant)).id;
        return y.services.learning.waivers.waiveRegistration({
          tenantId,
          registration: o.registration,
          auId: o.au,
          reason,
        });
      });
      createOutput(json()).result(result, () =>
        [
          `Waived "${result.auTitle}" (${reason}).`,
          result.satisfied.length ? `Now satisfied: ${result.satisfied.join(', ')}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      );
    });
}

async function readPackage(file: string): Promise<Buffer> {
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new ValidationError(
        `Cannot read ${file}; give the path of the .zip the authoring tool published.`,
      );
    },
  );
  if (size > DEFAULT_PACKAGE_LIMITS.maxTotalBytes)
    throw new ValidationError(
      `${file} is ${Math.round(size / 1024 / 1024)} MB; packages are limited to ${DEFAULT_PACKAGE_LIMITS.maxTotalBytes / 1024 / 1024} MB.`,
    );
  return readFile(file);
}

function summary(r: ContentImport) {
  return {
    module: r.module,
    version: r.version.version,
    createdModule: r.createdModule,
    package: r.package,
    aus: r.aus,
  };
}

function human(r: ContentImport): string {
  const what = r.createdModule ? 'Created module' : 'Made a new version of module';
  return [
    `${what} "${r.module.title}" (${r.module.id}), version ${r.version.version} (published), from course ${r.package.courseId}.`,
    `Package ${r.package.id}: ${r.package.fileCount} files, ${r.package.totalBytes} bytes.`,
    '',
    table(
      ['#', 'block', 'AU', 'moveOn', 'mastery', 'launch', 'url'],
      r.aus.map((au, i) => [
        String(i + 1),
        au.blocks.join(' / ') || '-',
        au.title,
        au.moveOn,
        au.masteryScore === undefined ? '-' : String(au.masteryScore),
        au.launchMethod,
        au.url,
      ]),
    ),
  ].join('\n');
}
