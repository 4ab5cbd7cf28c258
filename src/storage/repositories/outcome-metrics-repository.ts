import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';
import type { MetricDefinition, PersonValue } from '../../outcomes/model.js';

/**
 * One value per person for a metric over a date window (see outcomes/metrics.ts for the rules). Only
 * people with data in the window appear, except for claims, where everyone asked about appears (no
 * claim means zero). Everything is computed in SQL over the tenant's outcome tables.
 */
export function createOutcomeMetricsRepository(db: Kysely<Database>) {
  return {
    async values(
      tenantId: string,
      metric: MetricDefinition,
      window: { start: string; end: string },
      personIds: readonly string[],
    ): Promise<PersonValue[]> {
      if (personIds.length === 0) return [];
      const ids = sql`${sql.val(personIds)}::uuid[]`;
      const days = sql`(${window.end}::date - ${window.start}::date + 1)`;
      let query: RawBuilder<{ person_id: string; value: string }>;
      switch (metric.source) {
        case 'payroll':
        case 'hris': {
          const table = sql.table(metric.source === 'payroll' ? 'outcome_payroll' : 'outcome_hris');
          const column = sql.ref(metric.name);
          const value =
            metric.name === 'voluntary_separation'
              ? sql`max(CASE WHEN separation_date BETWEEN ${window.start}::date AND ${window.end}::date AND separation_voluntary THEN 1 ELSE 0 END)`
              : metric.aggregation === 'mean'
                ? sql`avg(${column})`
                : sql`sum(${column}) * 12.0 / count(${column})`;
          const notNull = metric.name === 'voluntary_separation' ? sql`true` : sql`${column} IS NOT NULL`;
          query = sql`
            SELECT person_id, ${value}::float8 AS value
            FROM ${table}
            WHERE tenant_id = ${tenantId} AND person_id = ANY(${ids})
              AND period BETWEEN date_trunc('month', ${window.start}::date) AND ${window.end}::date
              AND ${notNull}
            GROUP BY person_id`;
          break;
        }
        case 'plan_participation':
          // The last status recorded in the window.
          query = sql`
            SELECT DISTINCT ON (person_id) person_id, (CASE WHEN participating THEN 1 ELSE 0 END)::float8 AS value
            FROM outcome_plan_participation
            WHERE tenant_id = ${tenantId} AND person_id = ANY(${ids})
              AND as_of BETWEEN ${window.start}::date AND ${window.end}::date
            ORDER BY person_id, as_of DESC`;
          break;
        case 'claims': {
          const perClaim =
            metric.name === 'claims_cost' ? sql`coalesce(sum(c.cost), 0)` : sql`count(c.claim_id)`;
          query = sql`
            SELECT p.id AS person_id, (${perClaim} * 365.25 / ${days})::float8 AS value
            FROM unnest(${ids}) AS p(id)
            LEFT JOIN outcome_claim c
              ON c.tenant_id = ${tenantId} AND c.person_id = p.id
              AND c.service_date BETWEEN ${window.start}::date AND ${window.end}::date
            GROUP BY p.id`;
          break;
        }
      }
      const { rows } = await query.execute(db);
      return rows.map((r) => ({ personId: r.person_id, value: Number(r.value) }));
    },

    /** People of the tenant not in any cohort of the program: the pool PSM draws controls from. */
    async nonParticipants(
      tenantId: string,
      programId: string,
    ): Promise<{ personId: string; attributes: Record<string, unknown> }[]> {
      const rows = await db
        .selectFrom('person as p')
        .select(['p.id', 'p.attributes'])
        .where('p.tenant_id', '=', tenantId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('cohort_member as m')
                .select('m.person_id')
                .whereRef('m.tenant_id', '=', 'p.tenant_id')
                .whereRef('m.person_id', '=', 'p.id')
                .where('m.program_id', '=', programId),
            ),
          ),
        )
        .orderBy('p.id')
        .execute();
      return rows.map((r) => ({ personId: r.id, attributes: r.attributes }));
    },
  };
}

export type OutcomeMetricsRepository = ReturnType<typeof createOutcomeMetricsRepository>;
