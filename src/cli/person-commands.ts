import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import type { PersonLocation, PersonSelector } from '../privacy/model.js';
import { htmlSiblingOf, renderPersonExportHtml } from '../web/documents/person-export-document.js';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';

interface SelectorOptions {
  tenant: string;
  mbox?: string;
  account?: string[];
  employeeId?: string;
}

/** `yardstick person find|export|erase|tombstone lift`: one person's data (issue #18, docs/privacy.md). */
export function registerPersonCommands(program: Command): void {
  const group = program
    .command('person')
    .description(
      'find, export or erase everything held about one person (GDPR art. 15 and 17; docs/privacy.md)',
    );
  const selecting = (c: Command) =>
    c
      .requiredOption('--tenant <name>', 'tenant')
      .option('--mbox <mailto>', 'the person by email (mailto:ADDRESS or ADDRESS)')
      .option('--account <homePage name...>', 'the person by xAPI account: HOMEPAGE NAME')
      .option('--employee-id <id>', 'the person by employee id (outcome and people files)');

  selecting(group.command('find').description('list every place the person appears, with counts')).action(
    async (options: SelectorOptions) => {
      const out = createOutput(program.opts().json);
      const selector = selectorOf(options);
      const found = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(options.tenant);
        return y.services.privacy.find(tenant.id, selector);
      });
      const value = {
        ltiUsers: found.identity.ltiUsers.length,
        people: found.identity.people.length,
        agentKeys: found.identity.agentKeys.length,
        locations: found.locations,
      };
      out.result(value, () =>
        found.locations.length
          ? locationsTable(found.locations)
          : 'Nothing in this tenant names that person.',
      );
    },
  );

  selecting(
    group
      .command('export')
      .description('write everything held about the person to a JSON file and its readable HTML summary'),
  )
    .requiredOption('--out <file>', 'the JSON file to write (the summary goes beside it, as .html)')
    .action(async (options: SelectorOptions & { out: string }) => {
      const out = createOutput(program.opts().json);
      const selector = selectorOf(options);
      const exported = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(options.tenant);
        return y.services.privacy.export(tenant.id, selector);
      });
      const summary = htmlSiblingOf(options.out);
      await writeFile(options.out, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
      await writeFile(summary, await renderPersonExportHtml(exported), { mode: 0o600 });
      out.result(
        { file: options.out, summary, items: exported.items.length, locations: exported.locations },
        () =>
          [
            `Wrote ${exported.items.length} items to ${options.out} and a readable summary to ${summary}.`,
            ...exported.notes,
          ].join('\n'),
      );
    });

  selecting(group.command('erase').description('erase the person everywhere and record the request'))
    .requiredOption('--requested-by <who>', 'who asked for the erasure (the person, their representative)')
    .requiredOption('--approved-by <who>', 'who approved it')
    .option('--yes', 'really erase (nothing is erased without it)')
    .action(async (options: SelectorOptions & { requestedBy: string; approvedBy: string; yes?: boolean }) => {
      const out = createOutput(program.opts().json);
      const selector = selectorOf(options);
      if (!options.yes)
        throw new ValidationError(
          'Erasure cannot be undone; run `npx yardstick person find` first, then add --yes to erase.',
        );
      const result = await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(options.tenant);
        return y.services.privacy.erase(tenant.id, selector, options);
      });
      out.result(result, () =>
        [
          `Erased (privacy request ${result.requestId}; ${result.tombstones} employee id(s) tombstoned):`,
          locationsTable(result.erased),
        ].join('\n'),
      );
    });

  group
    .command('tombstone')
    .description('erasure tombstones that keep erased employee ids out of imports')
    .command('lift')
    .description('let imports bring an erased employee id back')
    .requiredOption('--tenant <name>', 'tenant')
    .requiredOption('--employee-id <id>', 'the erased employee id')
    .requiredOption('--by <who>', 'the admin lifting it')
    .action(async (options: { tenant: string; employeeId: string; by: string }) => {
      const out = createOutput(program.opts().json);
      await withYardstick(async (y) => {
        const tenant = await y.services.tenants.getByName(options.tenant);
        await y.services.privacy.liftTombstone(tenant.id, options.employeeId, options.by);
      });
      out.result({ lifted: true }, () => 'Lifted: imports may bring this employee id back.');
    });
}

function selectorOf(options: SelectorOptions): PersonSelector {
  const given = [options.mbox, options.account, options.employeeId].filter((v) => v !== undefined);
  if (given.length !== 1)
    throw new ValidationError(
      'Name the person by exactly one of --mbox, --account HOMEPAGE NAME or --employee-id.',
    );
  if (options.mbox) return { kind: 'mbox', mbox: options.mbox };
  if (options.account) {
    if (options.account.length !== 2)
      throw new ValidationError('--account takes two values: the homePage IRI and the account name.');
    return { kind: 'account', homePage: options.account[0]!, name: options.account[1]! };
  }
  return { kind: 'employeeId', employeeId: options.employeeId! };
}

function locationsTable(locations: PersonLocation[]): string {
  return table(
    ['table / store', 'count'],
    locations.map((l) => [l.place, String(l.count)]),
  );
}
