import { KPI_FACTS_TABLE } from './kpi-rollup.js';

/**
 * The KPI facts, not a rollup: `kpi_statement` holds one narrow row per statement of Yardstick's capture
 * vocabulary (src/learning/vocabulary.ts) with the keys reports group by already extracted, so no report
 * parses statement JSON. `kpi_statement_fact(xapi_statement)` extracts it. The triggers on
 * xapi_statement only note changed statements in `xapi_statement_outbox` (`kpi_statement_insert`, once
 * per INSERT; `kpi_statement_voided`, xAPI Data 2.3.2), migration 0091-kpi-fact-outbox;
 * `kpi_outbox_drain(tenant, part, most)` (0092: four parts per tenant, by registration) captures them
 * outside the storing transaction (src/reports/kpi/kpi-fact-drainer.ts drains them, and every report
 * first): it writes the facts in the
 * learner-first lock order (migration 0090), marks voided ones, and keeps two rollups itself
 * (kpi_learner_day, kpi_attempt: one grouped upsert each); the others have row triggers on
 * kpi_statement. Readers take only `NOT voided` rows. Created by migration 0060-kpi-rollups. A session
 * end's duration is capped to its session's span as the fact is written (`kpi_statement_cap_duration`,
 * a BEFORE INSERT trigger on kpi_statement, migration 0155; the stored value in `stored_duration_seconds`).
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
