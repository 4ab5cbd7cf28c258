/** The table of KPI facts every rollup is kept from, directly or through another rollup. */
export const KPI_FACTS_TABLE = 'kpi_statement';

/** A trigger that keeps a rollup, on the table whose changes fire it. */
export interface RollupTrigger {
  table: string;
  name: string;
}

/**
 * One KPI rollup: a table kept by triggers in the transaction that stores or voids a statement, so
 * reports read a few rows per learner instead of every statement. Its SQL lives in the migration named
 * here (migrations are frozen; a change to a rollup is a new migration, and this description with it).
 */
export interface KpiRollup {
  /** The table reports read, first; then tables kept with it only to maintain it (counters, queues). */
  tables: readonly string[];
  /** What one row holds. */
  row: string;
  /** The table whose changes feed the rollup: the facts, or another rollup. */
  source: string;
  /** Which rows of the source feed it, and how (add, subtract, recompute). */
  fedBy: string;
  /** The triggers that keep it. */
  triggers: readonly RollupTrigger[];
  /**
   * The SQL function `(tenant uuid) RETURNS void` that recomputes one tenant's rows from the source. A
   * rollup kept from another rollup is recomputed by that rollup's rebuild, through its own triggers.
   */
  rebuild: string;
  /** The migration whose SQL creates the table, its functions and triggers. */
  migration: string;
}
