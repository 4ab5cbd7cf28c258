import { Command, CommanderError } from 'commander';
import { AppError } from '../errors.js';
import { ConfigError } from '../config.js';
import { DatabaseUnavailableError } from '../storage/database.js';
import { MigrationError } from '../storage/migrator.js';
import { registerAnalyzeCommands } from './analyze-commands.js';
import { registerDbCommands } from './db-commands.js';
import { registerTenantCommands } from './tenant-commands.js';
import { registerProgramCommands } from './program-commands.js';
import { registerProgramEconomicsCommands } from './program-economics-commands.js';
import { registerLrsCredentialCommands } from './lrs-credential-commands.js';
import { registerOutcomeCommands } from './outcome-commands.js';
import { registerPlatformCommands } from './platform-commands.js';
import { registerModuleCommands } from './module-commands.js';
import { registerContentCommands } from './content-commands.js';
import { registerAnalystRoleCommands } from './analyst-role-commands.js';
import { registerPersonCommands } from './person-commands.js';
import { registerRetentionCommands } from './retention-commands.js';

/** Builds the `yardstick` command line. Later features register their commands here. */
export function buildProgram(): Command {
  const program = new Command('yardstick')
    .description('Yardstick administration and operations')
    .option('--json', 'print one JSON document on stdout, for scripts')
    .showHelpAfterError()
    .exitOverride();
  registerDbCommands(program);
  registerTenantCommands(program);
  registerProgramCommands(program);
  registerProgramEconomicsCommands(program);
  registerAnalyzeCommands(program);
  registerLrsCredentialCommands(program);
  registerOutcomeCommands(program);
  registerPlatformCommands(program);
  registerModuleCommands(program);
  registerContentCommands(program);
  registerAnalystRoleCommands(program);
  registerPersonCommands(program);
  registerRetentionCommands(program);
  return program;
}

const EXPECTED = [AppError, ConfigError, DatabaseUnavailableError, MigrationError];

async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const json = argv.includes('--json');
    const known = EXPECTED.some((E) => err instanceof E);
    const message = known
      ? (err as Error).message
      : `unexpected failure: ${(err as Error)?.stack ?? String(err)}`;
    if (json) {
      const code = err instanceof AppError ? err.code : known ? 'unavailable' : 'internal';
      const details = err instanceof AppError ? err.details : [];
      process.stdout.write(`${JSON.stringify({ error: { code, message, details } }, null, 2)}\n`);
    }
    process.stderr.write(`yardstick: ${message}\n`);
    return 1;
  }
}

process.exitCode = await run(process.argv);
