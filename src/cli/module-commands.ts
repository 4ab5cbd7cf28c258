import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';
import type { Yardstick } from '../bootstrap.js';
import { ValidationError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A module by id or by exact title (case-insensitive). */
async function moduleId(y: Yardstick, tenantId: string, idOrTitle: string): Promise<string> {
  if (UUID.test(idOrTitle)) return idOrTitle;
  const found = (await y.services.modules.list(tenantId)).find(
    (m) => m.title.toLowerCase() === idOrTitle.toLowerCase(),
  );
  return found?.id ?? idOrTitle;
}

/** `yardstick module list|create|import|export|publish|link`: learner modules (docs/modules.md). */
export function registerModuleCommands(program: Command): void {
  const cmd = program.command('module').description('learner modules: authoring, import/export, publishing');
  const json = () => program.opts().json as boolean;
  const tenantOf = async (y: Yardstick, name: string) => (await y.services.tenants.getByName(name)).id;

  cmd
    .command('list')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (o) => {
      const modules = await withYardstick(async (y) => y.services.modules.list(await tenantOf(y, o.tenant)));
      createOutput(json()).result(modules, () =>
        modules.length
          ? table(
              ['title', 'id', 'published', 'draft'],
              modules.map((m) => [
                m.title,
                m.id,
                m.publishedVersion === null ? '-' : `v${m.publishedVersion}`,
                m.draftVersion === null ? '-' : `v${m.draftVersion}`,
              ]),
            )
          : 'No modules yet.',
      );
    });

  cmd
    .command('create <title>')
    .description('create an empty module (then import or edit its first draft)')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--program <name>', 'the pilot program it belongs to (name or id)')
    .action(async (title: string, o) => {
      const created = await withYardstick(async (y) => {
        const tenantId = await tenantOf(y, o.tenant);
        const programId = o.program ? (await y.services.programs.get(tenantId, o.program)).id : null;
        return y.services.modules.create(tenantId, { title, programId });
      });
      createOutput(json()).result(created, () => `Created module "${created.title}" (${created.id}).`);
    });

  cmd
    .command('import')
    .description('import a yardstick-module/1 JSON file as a new module, or as a new draft of --module')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--file <path>', 'the JSON file')
    .option('--module <id-or-title>', 'make the file a new draft of this module')
    .option('--program <name>', 'program of the new module (name or id)')
    .option('--publish', 'publish the imported draft at once')
    .action(async (o) => {
      const text = readFileSync(o.file, 'utf8');
      const result = await withYardstick(async (y) => {
        const tenantId = await tenantOf(y, o.tenant);
        const programId = o.program ? (await y.services.programs.get(tenantId, o.program)).id : undefined;
        const target = o.module ? await moduleId(y, tenantId, o.module) : undefined;
        const imported = await y.services.modules.importModule(tenantId, text, {
          moduleId: target,
          programId,
        });
        const published = o.publish
          ? await y.services.modules.publish(tenantId, imported.module.id)
          : undefined;
        return { ...imported, published: published ?? null };
      });
      createOutput(json()).result(result, () =>
        result.published
          ? `Imported and published "${result.module.title}" version ${result.published.version} (${result.module.id}).`
          : `Imported "${result.module.title}" as draft version ${result.draft.version} (${result.module.id}); publish it with 'npx yardstick module publish'.`,
      );
    });

  cmd
    .command('export <module>')
    .description('print (or write) one version as yardstick-module/1 JSON; default the newest published')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--version <n>', 'version number (a draft too)')
    .option('--out <path>', 'write the file here instead of printing it')
    .action(async (idOrTitle: string, o) => {
      const version = o.version === undefined ? undefined : Number(o.version);
      if (version !== undefined && !(Number.isInteger(version) && version >= 1))
        throw new ValidationError(`--version ${o.version}: give a version number such as 1 or 2.`);
      const file = await withYardstick(async (y) => {
        const tenantId = await tenantOf(y, o.tenant);
        return y.services.modules.exportVersion(tenantId, await moduleId(y, tenantId, idOrTitle), version);
      });
      const text = `${JSON.stringify(file, null, 2)}\n`;
      if (o.out) {
        writeFileSync(o.out, text);
        createOutput(json()).result(
          { path: o.out, version: file.version },
          () => `Wrote version ${file.version} to ${o.out}.`,
        );
      } else process.stdout.write(text);
    });

  cmd
    .command('publish <module>')
    .description('publish the draft as the next immutable version')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (idOrTitle: string, o) => {
      const published = await withYardstick(async (y) => {
        const tenantId = await tenantOf(y, o.tenant);
        return y.services.modules.publish(tenantId, await moduleId(y, tenantId, idOrTitle));
      });
      createOutput(json()).result(published, () => `Published version ${published.version}.`);
    });

  cmd
    .command('link <module>')
    .description('bind an LMS resource link (assignment) in a course to the module')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--course <id>', 'the course id (a uuid: the address of its course report in Yardstick)')
    .requiredOption('--resource-link <id>', 'the LMS resource link id')
    .action(async (idOrTitle: string, o) => {
      const result = await withYardstick(async (y) => {
        const tenantId = await tenantOf(y, o.tenant);
        const id = await moduleId(y, tenantId, idOrTitle);
        await y.services.modules.link(tenantId, id, o.course, o.resourceLink);
        return { moduleId: id, contextId: o.course as string, resourceLinkId: o.resourceLink as string };
      });
      createOutput(json()).result(
        result,
        () => `Linked resource link ${result.resourceLinkId} to module ${result.moduleId}.`,
      );
    });
}
