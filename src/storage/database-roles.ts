import type { Kysely } from 'kysely';
import { createDatabaseRoleRepository } from './repositories/database-role-repository.js';
import { jobQueueInstallScript } from './job-queue.js';

/** The schemas Yardstick's migrations create tables in; the runtime role gets DML there. */
const DATA_SCHEMAS = ['public'];

/**
 * Least privilege (docs/security.md, Database roles): run by the owner after migrations, when the app
 * connects as another role. That role gets DML, EXECUTE and sequence USAGE on Yardstick's tables (also
 * on tables later migrations add, through default privileges), and owns the schemas of ltijs and
 * pg-boss, which create their own tables at start; pg-boss is installed here by the owner, since
 * creating a schema needs CREATE on the database, which the runtime role does not have. Returns false
 * when both connections are the same role and there is nothing to grant.
 */
export async function grantRuntimeAccess(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- works across schemas
  ownerDb: Kysely<any>,
  runtimeRole: string,
  libraries: { ltijsSchema: string; jobQueueSchema: string },
): Promise<boolean> {
  const roles = createDatabaseRoleRepository(ownerDb);
  if ((await roles.currentRole()) === runtimeRole) return false;
  for (const schema of DATA_SCHEMAS) await roles.grantDataAccess(schema, runtimeRole);
  if (!(await roles.schemaExists(libraries.jobQueueSchema)))
    await roles.runScript(jobQueueInstallScript(libraries.jobQueueSchema));
  await roles.handOverSchema(libraries.jobQueueSchema, runtimeRole);
  await roles.handOverSchema(libraries.ltijsSchema, runtimeRole);
  return true;
}

/** The user name of a connection URL (the role the connection runs as, unless it says SET ROLE). */
export function roleOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).username);
}
