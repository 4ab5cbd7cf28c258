import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export interface DemoPerson {
  /**
   * person.id. The demo fixes it because randomization sorts participants by id and matching breaks
   * ties in id order: with ids drawn by the database, every fresh start told a different ROI.
   */
  id?: string;
  employeeId: string;
  displayName: string;
  attributes: Record<string, string | number | boolean>;
}

/** SQL for the demo seed: people with HRIS-style attributes, in bulk, leaving existing ones alone. */
export function createDemoPeopleRepository(db: Kysely<Database>) {
  return {
    /** Inserts the people whose employee id is new to the tenant; returns how many were added. */
    async insertMissing(tenantId: string, people: readonly DemoPerson[]): Promise<number> {
      let added = 0;
      for (let i = 0; i < people.length; i += 2000) {
        const rows = await db
          .insertInto('person')
          .values(
            people.slice(i, i + 2000).map((p) => ({
              tenant_id: tenantId,
              ...(p.id ? { id: p.id } : {}),
              employee_id: p.employeeId,
              display_name: p.displayName,
              attributes: JSON.stringify(p.attributes),
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .execute();
        added += rows.length;
      }
      return added;
    },
  };
}

export type DemoPeopleRepository = ReturnType<typeof createDemoPeopleRepository>;
