import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ForecastVersion, NewForecast } from '../../cohorts/model.js';

const SOURCES = {
  payroll: sql`SELECT max(period) AS d FROM outcome_payroll WHERE tenant_id = `,
  hris: sql`SELECT max(period) AS d FROM outcome_hris WHERE tenant_id = `,
  plan_participation: sql`SELECT max(as_of) AS d FROM outcome_plan_participation WHERE tenant_id = `,
  claims: sql`SELECT max(service_date) AS d FROM outcome_claim WHERE tenant_id = `,
} as const;

/** SQL for the versions of a program's rolling forecast (never updated, only added). */
export function createProgramForecastRepository(db: Kysely<Database>) {
  const toVersion = (r: {
    version: number;
    created_at: Date;
    trigger: string;
    import_id: string | null;
    data_as_of: string | null;
    horizon_years: number;
    discount_rate: string;
    effect_decay: string;
    forecast: unknown;
  }): ForecastVersion => ({
    version: r.version,
    createdAt: r.created_at,
    trigger: r.trigger as ForecastVersion['trigger'],
    importId: r.import_id,
    dataAsOf: r.data_as_of,
    horizonYears: r.horizon_years,
    discountRate: r.discount_rate,
    effectDecay: r.effect_decay,
    forecast: r.forecast,
  });
  return {
    /** Adds the next version (one more than the newest), locking the program so versions never collide. */
    async add(tenantId: string, programId: string, f: NewForecast): Promise<ForecastVersion> {
      return db.transaction().execute(async (trx) => {
        await trx
          .selectFrom('program')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', programId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const { next } = await trx
          .selectFrom('program_forecast')
          .select(sql<number>`coalesce(max(version), 0) + 1`.as('next'))
          .where('tenant_id', '=', tenantId)
          .where('program_id', '=', programId)
          .executeTakeFirstOrThrow();
        const row = await trx
          .insertInto('program_forecast')
          .values({
            tenant_id: tenantId,
            program_id: programId,
            version: next,
            trigger: f.trigger,
            import_id: f.importId,
            data_as_of: f.dataAsOf,
            horizon_years: f.horizonYears,
            discount_rate: f.discountRate,
            effect_decay: f.effectDecay,
            forecast: JSON.stringify(f.forecast),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toVersion(row);
      });
    },
    /** Versions newest first. */
    async list(tenantId: string, programId: string, limit = 20): Promise<ForecastVersion[]> {
      const rows = await db
        .selectFrom('program_forecast')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .orderBy('version', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toVersion);
    },
    /** The newest outcome date stored for the tenant among the given outcome sources (YYYY-MM-DD). */
    async latestOutcomeDate(
      tenantId: string,
      sources: readonly (keyof typeof SOURCES)[],
    ): Promise<string | null> {
      let latest: string | null = null;
      for (const source of new Set(sources)) {
        const { rows } = await sql<{ d: string | null }>`${SOURCES[source]}${tenantId}`.execute(db);
        const d = rows[0]?.d ?? null;
        if (d && (!latest || d > latest)) latest = d;
      }
      return latest;
    },
  };
}

export type ProgramForecastRepository = ReturnType<typeof createProgramForecastRepository>;
