import { KPI_FACTS_TABLE } from './kpi-rollup.js';

/**
 * The KPI facts, not a rollup: `kpi_statement` holds one narrow row per statement of Yardstick's capture
 * vocabulary (src/learning/vocabulary.ts) with the keys reports group by already extracted, so no report
 * parses statement JSON. `kpi_statement_fact(xapi_statement)` extracts it; the statement-level trigger
 * `kpi_statement_insert` on xapi_statement (function `kpi_statement_capture_rows`, migration
 * 0090-kpi-capture-per-statement) writes the facts of one INSERT in the storing transaction, sorted in
 * the learner-first lock order so concurrent batches cannot deadlock, and `kpi_statement_voided` (row
 * trigger, function `kpi_statement_capture`) follows voiding (xAPI Data 2.3.2): the fact turns voided
 * and readers take only `NOT voided` rows. The same capture functions keep two rollups
 * (kpi_learner_day, kpi_attempt: one grouped upsert per INSERT); the others have row triggers on
 * kpi_statement. Created by migration 0060-kpi-rollups.
 */
export const KPI_FACTS = {
  table: KPI_FACTS_TABLE,
  extract: 'kpi_statement_fact',
  triggers: [
    { table: 'xapi_statement', name: 'kpi_statement_insert' },
    { table: 'xapi_statement', name: 'kpi_statement_voided' },
  ],
  migration: '0060-kpi-rollups',
} as const;

/** The capture triggers on xapi_statement, which also keep the rollups fed by the capture function. */
export const CAPTURE_TRIGGERS = KPI_FACTS.triggers;
