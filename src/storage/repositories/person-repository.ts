import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PersonTable } from '../schema.js';
import { mapDatabaseError } from '../db-errors.js';
import { withTransaction } from '../transaction.js';
import type { Person, PersonPatch } from '../../outcomes/model.js';

const toPerson = (
  r: Pick<Selectable<PersonTable>, 'id' | 'employee_id' | 'lms_user_id' | 'email' | 'display_name'>,
): Person => ({
  id: r.id,
  employeeId: r.employee_id,
  lmsUserId: r.lms_user_id,
  email: r.email,
  displayName: r.display_name,
});

function personQueries(db: Kysely<Database>) {
  const base = (tenantId: string) =>
    db
      .selectFrom('person')
      .select(['id', 'employee_id', 'lms_user_id', 'email', 'display_name'])
      .where('tenant_id', '=', tenantId);
  return {
    async findByEmployeeIds(tenantId: string, ids: string[]): Promise<Person[]> {
      if (!ids.length) return [];
      return (await base(tenantId).where('employee_id', 'in', ids).execute()).map(toPerson);
    },
    async findByLmsUserIds(tenantId: string, ids: string[]): Promise<Person[]> {
      if (!ids.length) return [];
      return (await base(tenantId).where('lms_user_id', 'in', ids).execute()).map(toPerson);
    },
    /** Case-insensitive; several people may share an address. */
    async findByEmails(tenantId: string, emails: string[]): Promise<Person[]> {
      if (!emails.length) return [];
      const lower = emails.map((e) => e.toLowerCase());
      return (
        await base(tenantId)
          .where(sql<string>`lower(email)`, 'in', lower)
          .execute()
      ).map(toPerson);
    },
    async insert(tenantId: string, p: PersonPatch): Promise<Person> {
      try {
        const row = await db
          .insertInto('person')
          .values({
            tenant_id: tenantId,
            employee_id: p.employeeId ?? null,
            lms_user_id: p.lmsUserId ?? null,
            email: p.email ?? null,
            display_name: p.displayName ?? null,
          })
          .returning(['id', 'employee_id', 'lms_user_id', 'email', 'display_name'])
          .executeTakeFirstOrThrow();
        return toPerson(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },
    async update(tenantId: string, id: string, p: PersonPatch): Promise<Person> {
      try {
        const row = await db
          .updateTable('person')
          .set({
            ...(p.employeeId !== undefined ? { employee_id: p.employeeId } : {}),
            ...(p.lmsUserId !== undefined ? { lms_user_id: p.lmsUserId } : {}),
            ...(p.email !== undefined ? { email: p.email } : {}),
            ...(p.displayName !== undefined ? { display_name: p.displayName } : {}),
            updated_at: new Date(),
          })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .returning(['id', 'employee_id', 'lms_user_id', 'email', 'display_name'])
          .executeTakeFirstOrThrow();
        return toPerson(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },
  };
}

export type PersonQueries = ReturnType<typeof personQueries>;

/** SQL for people: the one identity per tenant joining LMS users and employee ids. */
export function createPersonRepository(db: Kysely<Database>) {
  return {
    ...personQueries(db),
    transaction<T>(work: (tx: PersonQueries) => Promise<T>): Promise<T> {
      return withTransaction(db, (trx) => work(personQueries(trx)));
    },
  };
}

export type PersonRepository = ReturnType<typeof createPersonRepository>;
