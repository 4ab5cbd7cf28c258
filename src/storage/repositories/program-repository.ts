import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, ProgramTable } from '../schema.js';
import { mapDatabaseError } from '../db-errors.js';
import type { NewProgram, Program } from '../../cohorts/model.js';

function toProgram(r: Selectable<ProgramTable>): Program {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    description: r.description,
    targetOutcomes: r.target_outcomes,
    preWindow: { start: r.pre_window_start, end: r.pre_window_end },
    postWindow: { start: r.post_window_start, end: r.post_window_end },
    leadingCadence: r.leading_cadence,
    laggingCadence: r.lagging_cadence,
    moneyPerspective: r.money_perspective,
    benefitHorizonYears: r.benefit_horizon_years,
    discountRate: r.discount_rate,
    effectDecay: r.effect_decay,
    kpiRules: { attemptPolicy: r.kpi_attempt_policy, denominator: r.kpi_denominator },
    createdAt: r.created_at,
  };
}

/** SQL for programs. Every query names its tenant. */
export function createProgramRepository(db: Kysely<Database>) {
  return {
    /** Inserts a program; `id` is drawn by the database unless given. */
    async insert(tenantId: string, p: NewProgram, id?: string): Promise<Program> {
      try {
        const row = await db
          .insertInto('program')
          .values({
            tenant_id: tenantId,
            ...(id ? { id } : {}),
            name: p.name,
            description: p.description,
            target_outcomes: p.targetOutcomes,
            pre_window_start: p.preWindow?.start ?? null,
            pre_window_end: p.preWindow?.end ?? null,
            post_window_start: p.postWindow?.start ?? null,
            post_window_end: p.postWindow?.end ?? null,
            leading_cadence: p.leadingCadence,
            lagging_cadence: p.laggingCadence,
            money_perspective: p.moneyPerspective,
            benefit_horizon_years: p.benefitHorizonYears,
            discount_rate: p.discountRate,
            effect_decay: p.effectDecay,
            ...(p.kpiRules
              ? { kpi_attempt_policy: p.kpiRules.attemptPolicy, kpi_denominator: p.kpiRules.denominator }
              : {}),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toProgram(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },
    /** Replaces the program's settings; undefined when it does not exist. */
    async update(tenantId: string, id: string, p: Required<NewProgram>): Promise<Program | undefined> {
      try {
        const row = await db
          .updateTable('program')
          .set({
            name: p.name,
            description: p.description,
            target_outcomes: p.targetOutcomes,
            pre_window_start: p.preWindow.start,
            pre_window_end: p.preWindow.end,
            post_window_start: p.postWindow.start,
            post_window_end: p.postWindow.end,
            leading_cadence: p.leadingCadence,
            lagging_cadence: p.laggingCadence,
            money_perspective: p.moneyPerspective,
            benefit_horizon_years: p.benefitHorizonYears,
            discount_rate: p.discountRate,
            effect_decay: p.effectDecay,
            kpi_attempt_policy: p.kpiRules.attemptPolicy,
            kpi_denominator: p.kpiRules.denominator,
          })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        return row && toProgram(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },
    async list(tenantId: string): Promise<Program[]> {
      const rows = await db
        .selectFrom('program')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('name')
        .execute();
      return rows.map(toProgram);
    },
    async findByName(tenantId: string, name: string): Promise<Program | undefined> {
      const row = await db
        .selectFrom('program')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where(sql`lower(name)`, '=', name.toLowerCase())
        .executeTakeFirst();
      return row && toProgram(row);
    },
    async findById(tenantId: string, id: string): Promise<Program | undefined> {
      const row = await db
        .selectFrom('program')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toProgram(row);
    },
    /** Locks the program row for the rest of the transaction (one randomization at a time). */
    async lock(trx: Transaction<Database>, tenantId: string, id: string): Promise<boolean> {
      const row = await trx
        .selectFrom('program')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      return Boolean(row);
    },
  };
}

export type ProgramRepository = ReturnType<typeof createProgramRepository>;
