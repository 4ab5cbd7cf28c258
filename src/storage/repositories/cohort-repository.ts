import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { CohortMemberRow, CohortSummary, PoolMember, RandomizationRow } from '../../cohorts/model.js';

/** SQL for cohorts, their members, the people pools they are drawn from, and randomization records. */
export function createCohortRepository(db: Kysely<Database>) {
  return {
    /**
     * People of a tenant eligible for a program: all, those whose attributes contain `criteria`
     * (jsonb containment), and/or those with the given employee ids.
     */
    async pool(
      executor: Kysely<Database> | Transaction<Database>,
      tenantId: string,
      filter: { criteria?: Record<string, unknown>; employeeIds?: string[] },
    ): Promise<PoolMember[]> {
      let q = executor
        .selectFrom('person')
        .select(['id', 'employee_id', 'attributes'])
        .where('tenant_id', '=', tenantId);
      if (filter.criteria && Object.keys(filter.criteria).length) {
        q = q.where('attributes', '@>', JSON.stringify(filter.criteria) as never);
      }
      if (filter.employeeIds)
        q = q.where('employee_id', 'in', filter.employeeIds.length ? filter.employeeIds : ['']);
      const rows = await q.orderBy('id').execute();
      return rows.map((r) => ({ personId: r.id, employeeId: r.employee_id, attributes: r.attributes }));
    },

    async findRandomization(
      executor: Kysely<Database> | Transaction<Database>,
      tenantId: string,
      programId: string,
    ): Promise<RandomizationRow | undefined> {
      const row = await executor
        .selectFrom('program_randomization')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .executeTakeFirst();
      return (
        row && {
          algorithm: row.algorithm,
          seed: row.seed,
          record: row.record,
          participantCount: row.participant_count,
          createdAt: row.created_at,
        }
      );
    },

    async insertRandomization(
      trx: Transaction<Database>,
      tenantId: string,
      programId: string,
      r: { algorithm: string; seed: number; record: unknown; participantCount: number },
    ): Promise<void> {
      await trx
        .insertInto('program_randomization')
        .values({
          tenant_id: tenantId,
          program_id: programId,
          algorithm: r.algorithm,
          seed: String(r.seed),
          record: JSON.stringify(r.record),
          participant_count: r.participantCount,
        })
        .execute();
    },

    async insertCohort(
      trx: Transaction<Database>,
      tenantId: string,
      c: { programId: string; name: string; arm: string; source: string },
    ): Promise<string> {
      const row = await trx
        .insertInto('cohort')
        .values({ tenant_id: tenantId, program_id: c.programId, name: c.name, arm: c.arm, source: c.source })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Inserts members in chunks (PostgreSQL allows 65,535 parameters a statement). */
    async insertMembers(
      trx: Transaction<Database>,
      tenantId: string,
      programId: string,
      members: { personId: string; cohortId: string; stratum: string | null; block: number | null }[],
    ): Promise<void> {
      for (let i = 0; i < members.length; i += 5000) {
        await trx
          .insertInto('cohort_member')
          .values(
            members.slice(i, i + 5000).map((m) => ({
              tenant_id: tenantId,
              program_id: programId,
              person_id: m.personId,
              cohort_id: m.cohortId,
              stratum: m.stratum,
              block: m.block,
            })),
          )
          .execute();
      }
    },

    async cohorts(tenantId: string, programId: string): Promise<CohortSummary[]> {
      const rows = await db
        .selectFrom('cohort as c')
        .leftJoin('cohort_member as m', (j) =>
          j.onRef('m.tenant_id', '=', 'c.tenant_id').onRef('m.cohort_id', '=', 'c.id'),
        )
        .select([
          'c.id',
          'c.name',
          'c.arm',
          'c.source',
          (eb) => eb.fn.count<string>('m.person_id').as('members'),
        ])
        .where('c.tenant_id', '=', tenantId)
        .where('c.program_id', '=', programId)
        .groupBy(['c.id', 'c.name', 'c.arm', 'c.source'])
        .orderBy('c.name')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        arm: r.arm,
        source: r.source,
        members: Number(r.members),
      }));
    },

    async members(tenantId: string, programId: string): Promise<CohortMemberRow[]> {
      const rows = await db
        .selectFrom('cohort_member as m')
        .innerJoin('cohort as c', (j) =>
          j.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.cohort_id'),
        )
        .innerJoin('person as p', (j) =>
          j.onRef('p.tenant_id', '=', 'm.tenant_id').onRef('p.id', '=', 'm.person_id'),
        )
        .select(['m.person_id', 'm.cohort_id', 'm.stratum', 'c.arm', 'p.employee_id', 'p.attributes'])
        .where('m.tenant_id', '=', tenantId)
        .where('m.program_id', '=', programId)
        .orderBy('m.person_id')
        .execute();
      return rows.map((r) => ({
        personId: r.person_id,
        cohortId: r.cohort_id,
        stratum: r.stratum,
        arm: r.arm,
        employeeId: r.employee_id,
        attributes: r.attributes,
      }));
    },
  };
}

export type CohortRepository = ReturnType<typeof createCohortRepository>;
