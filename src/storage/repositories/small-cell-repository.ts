import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { KpiScope } from '../../reports/kpi/model.js';
import { byWholeDays, rollupConditions, rollupDayConditions, rosterCte } from './kpi-scope-sql.js';

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
/** The UTC day a bound falls in, rounded up when the bound is not a midnight. */
const dayFrom = (d: Date) => dayOf(new Date(Math.ceil(d.getTime() / 86_400_000) * 86_400_000));

/**
 * The facts the small-cell rule needs beside a report (src/reports/kpi/small-cells.ts), over the KPI
 * rollups (kpi_learner_day, migration 0060) and the roster. `db` may be a read replica.
 */
export function createSmallCellRepository(db: Kysely<Database>) {
  return {
    /**
     * Assigned learners active on the nearest day with activity before `scope.from` and on or after
     * `scope.to`, the scope otherwise unchanged (cohort, module, version); null for an open bound or
     * when no such day exists.
     */
    async activeNextToRange(
      scope: KpiScope,
    ): Promise<{ activeBeforeFrom: number | null; activeFromTo: number | null }> {
      if (!scope.from && !scope.to) return { activeBeforeFrom: null, activeFromTo: null };
      const open = { ...scope, from: undefined, to: undefined };
      const from = scope.from ? dayOf(scope.from) : null;
      const to = scope.to ? dayFrom(scope.to) : null;
      const { rows } = await sql<{ before: string | null; after: string | null }>`
        WITH ${rosterCte(open)},
        days AS (
          SELECT w.day, w.actor_home_page, w.actor_name
          FROM kpi_learner_day w JOIN roster r ON r.home_page = w.actor_home_page AND r.name = w.actor_name
          WHERE ${rollupConditions(open, 'w')} AND w.statements > 0
            AND (w.day < ${from}::date OR w.day >= ${to}::date)),
        before AS (SELECT max(day) AS day FROM days WHERE day < ${from}::date),
        after AS (SELECT min(day) AS day FROM days WHERE day >= ${to}::date)
        SELECT
          (SELECT count(DISTINCT (actor_home_page, actor_name)) FROM days WHERE day = (SELECT day FROM before)) AS before,
          (SELECT count(DISTINCT (actor_home_page, actor_name)) FROM days WHERE day = (SELECT day FROM after)) AS after
      `.execute(db);
      const n = (v: string | null | undefined) =>
        v === null || v === undefined || v === '0' ? null : Number(v);
      return { activeBeforeFrom: n(rows[0]?.before), activeFromTo: n(rows[0]?.after) };
    },

    /**
     * Per ISO week (Monday, YYYY-MM-DD), the scope's assigned learners active that week within its
     * date range (the whole weeks when the range is not of whole UTC days), as the weekly table counts.
     */
    async activeWeeks(scope: KpiScope, weeks?: readonly string[]): Promise<Map<string, number>> {
      const open = { ...scope, from: undefined, to: undefined };
      const conditions = byWholeDays(scope) ? rollupDayConditions(scope, 'w') : rollupConditions(open, 'w');
      // The days of the weeks asked for, so the day index narrows the read (a learner page's few weeks).
      const days = weeks?.flatMap((w) =>
        [0, 1, 2, 3, 4, 5, 6].map((d) => new Date(Date.parse(`${w}T00:00:00Z`) + d * 86_400_000)),
      );
      const inWeeks = days
        ? sql`AND w.day = ANY(${days.map((d) => d.toISOString().slice(0, 10))}::date[])`
        : sql``;
      const { rows } = await sql<{ week: string; active: string }>`
        WITH ${rosterCte(open)}
        SELECT to_char(date_trunc('week', w.day), 'YYYY-MM-DD') AS week,
               count(DISTINCT r.user_id) AS active
        FROM kpi_learner_day w JOIN roster r ON r.home_page = w.actor_home_page AND r.name = w.actor_name
        WHERE ${conditions} AND w.statements > 0 ${inWeeks}
        GROUP BY 1`.execute(db);
      return new Map(rows.map((r) => [r.week, Number(r.active)]));
    },
  };
}

export type SmallCellRepository = ReturnType<typeof createSmallCellRepository>;
