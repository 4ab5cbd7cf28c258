import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Server-level queries (no tenant data). */
export function createHealthRepository(db: Kysely<Database>) {
  return {
    async serverVersion(): Promise<string> {
      const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
      return rows[0]!.server_version;
    },
  };
}

export type HealthRepository = ReturnType<typeof createHealthRepository>;
