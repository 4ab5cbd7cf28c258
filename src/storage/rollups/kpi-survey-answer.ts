import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';

/**
 * Survey answers: the survey panel's answers per response and respondents per item. `multi` marks the
 * few rows of an actor with several rows of one item (two days, responses or versions): only those need
 * a DISTINCT to count respondents. kpi_survey_actor_item counts each actor's answered rows per item to
 * keep that flag.
 */
export const surveyAnswerRollup: KpiRollup = {
  tables: ['kpi_survey_answer', 'kpi_survey_actor_item'],
  row:
    'per tenant, course, program, module, version, survey item, response, actor and UTC day: how many ' +
    'non-voided answers there are (answers), whether the actor is anonymous, and multi',
  source: KPI_FACTS_TABLE,
  fedBy:
    'survey answers with a response and a module: +1 when stored, -1 when voided (kpi_survey_answer_add); ' +
    'statement triggers on kpi_survey_answer keep the per-actor counters and the multi flags ' +
    '(kpi_survey_multi_follow)',
  triggers: [
    { table: KPI_FACTS_TABLE, name: 'kpi_survey_answer_insert' },
    { table: KPI_FACTS_TABLE, name: 'kpi_survey_answer_voided' },
    { table: 'kpi_survey_answer', name: 'kpi_survey_multi_insert' },
    { table: 'kpi_survey_answer', name: 'kpi_survey_multi_update' },
    { table: 'kpi_survey_answer', name: 'kpi_survey_multi_delete' },
  ],
  rebuild: 'kpi_survey_answer_rebuild',
  migration: '0060-kpi-rollups',
};
