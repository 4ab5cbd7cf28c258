import { sql, type RawBuilder } from 'kysely';

/**
 * Where each outcome kind lands: its table, its natural key and its columns with the SQL type the
 * staged JSON text is cast to. The staged row's employee_id becomes person_id through person.
 */
export interface OutcomeTable {
  table: string;
  /** Conflict target after tenant_id. */
  key: string[];
  columns: { name: string; type: 'text' | 'numeric' | 'date' | 'boolean' }[];
}

export const outcomeTables: Record<string, OutcomeTable> = {
  payroll: {
    table: 'outcome_payroll',
    key: ['person_id', 'period'],
    columns: [
      { name: 'period', type: 'date' },
      { name: 'deferral_pct', type: 'numeric' },
      { name: 'employer_match_amount', type: 'numeric' },
      { name: 'contribution_amount', type: 'numeric' },
    ],
  },
  plan_participation: {
    table: 'outcome_plan_participation',
    key: ['person_id', 'as_of'],
    columns: [
      { name: 'as_of', type: 'date' },
      { name: 'participating', type: 'boolean' },
      { name: 'auto_enrolled', type: 'boolean' },
      { name: 'opted_out', type: 'boolean' },
    ],
  },
  claims: {
    table: 'outcome_claim',
    key: ['claim_id'],
    columns: [
      { name: 'claim_id', type: 'text' },
      { name: 'claim_type', type: 'text' },
      { name: 'cost', type: 'numeric' },
      { name: 'service_date', type: 'date' },
    ],
  },
  hris: {
    table: 'outcome_hris',
    key: ['person_id', 'period'],
    columns: [
      { name: 'period', type: 'date' },
      { name: 'absence_days', type: 'numeric' },
      { name: 'separation_date', type: 'date' },
      { name: 'separation_voluntary', type: 'boolean' },
      { name: 'productivity_index', type: 'numeric' },
    ],
  },
};

export function outcomeTable(kind: string): OutcomeTable {
  const t = outcomeTables[kind];
  if (!t) throw new Error(`no outcome table for kind ${kind}`);
  return t;
}

/** Every written column: person_id plus the kind's columns. */
export function writtenColumns(t: OutcomeTable): string[] {
  return ['person_id', ...t.columns.map((c) => c.name)];
}

/**
 * SELECT of one import's valid staged rows in the outcome table's shape, joined to person by employee
 * id (rows whose employee id matches no person drop out), limited to row numbers [from, to].
 */
export function stagedSource(
  t: OutcomeTable,
  tenantId: string,
  importId: string,
  range?: { from: number; to: number },
): RawBuilder<unknown> {
  const casts = t.columns.map(
    (c) => sql`(r."values" ->> ${c.name})::${sql.raw(c.type)} AS ${sql.ref(c.name)}`,
  );
  const inRange = range ? sql`AND r.row_number BETWEEN ${range.from} AND ${range.to}` : sql``;
  return sql`
    SELECT r.tenant_id, p.id AS person_id, ${sql.join(casts)}
    FROM outcome_import_row r
    JOIN person p ON p.tenant_id = r.tenant_id AND p.employee_id = r.employee_id
    WHERE r.tenant_id = ${tenantId} AND r.import_id = ${importId} AND r.valid ${inRange}`;
}

/** `(a.x, a.y) IS DISTINCT FROM (b.x, b.y)` over the written columns. */
export function rowsDiffer(t: OutcomeTable, left: string, right: string): RawBuilder<unknown> {
  const cols = writtenColumns(t);
  const side = (alias: string) => sql.join(cols.map((c) => sql.ref(`${alias}.${c}`)));
  return sql`(${side(left)}) IS DISTINCT FROM (${side(right)})`;
}
