import type { Kysely, Selectable } from 'kysely';
import type { Database, RoiSnapshotTable } from '../schema.js';
import type {
  AssumptionRow,
  EffectOptions,
  EffectRow,
  EventRow,
  EvidenceRow,
  NewSnapshot,
  PersonImprovement,
  SnapshotKind,
  SnapshotRow,
} from '../../cohorts/model.js';

function toSnapshot(r: Selectable<RoiSnapshotTable>): SnapshotRow {
  return {
    id: r.id,
    takenAt: r.taken_at,
    kind: r.kind as SnapshotKind,
    scheduledFor: r.scheduled_for,
    dataAsOf: r.data_as_of,
    report: r.report,
  };
}

/** SQL for a program's costs, assumptions, effects, intangibles, events, evidence and snapshots. */
export function createProgramEconomicsRepository(db: Kysely<Database>) {
  return {
    async saveCostModel(tenantId: string, programId: string, model: object, currency: string): Promise<void> {
      await db
        .insertInto('program_cost_model')
        .values({ tenant_id: tenantId, program_id: programId, model: JSON.stringify(model), currency })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'program_id'])
            .doUpdateSet({ model: JSON.stringify(model), currency, updated_at: new Date() }),
        )
        .execute();
    },
    async costModel(
      tenantId: string,
      programId: string,
    ): Promise<{ model: Record<string, unknown>; currency: string } | undefined> {
      return db
        .selectFrom('program_cost_model')
        .select(['model', 'currency'])
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .executeTakeFirst();
    },
    async saveAssumption(tenantId: string, programId: string, a: AssumptionRow): Promise<void> {
      const values = {
        label: a.label,
        unit: a.unit,
        value_per_unit: a.valuePerUnit,
        source: a.source,
        confidence: a.confidence,
      };
      await db
        .insertInto('monetization_assumption')
        .values({
          tenant_id: tenantId,
          program_id: programId,
          outcome: a.outcome,
          perspective: a.perspective,
          ...values,
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'program_id', 'outcome', 'perspective'])
            .doUpdateSet({ ...values, updated_at: new Date() }),
        )
        .execute();
    },
    async assumptions(tenantId: string, programId: string): Promise<AssumptionRow[]> {
      const rows = await db
        .selectFrom('monetization_assumption')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .orderBy('outcome')
        .execute();
      return rows.map((r) => ({
        outcome: r.outcome,
        perspective: r.perspective as AssumptionRow['perspective'],
        label: r.label,
        unit: r.unit,
        valuePerUnit: r.value_per_unit,
        source: r.source,
        confidence: r.confidence,
      }));
    },
    async replaceIntangibles(tenantId: string, programId: string, labels: string[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('program_intangible')
          .where('tenant_id', '=', tenantId)
          .where('program_id', '=', programId)
          .execute();
        if (labels.length) {
          await trx
            .insertInto('program_intangible')
            .values(labels.map((label) => ({ tenant_id: tenantId, program_id: programId, label })))
            .execute();
        }
      });
    },
    async intangibles(tenantId: string, programId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('program_intangible')
        .select('label')
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .orderBy('label')
        .execute();
      return rows.map((r) => r.label);
    },
    /**
     * Stores the effect on an outcome and, in the same transaction, replaces its person-level
     * contributions with `people` (none for an effect entered by hand), so the two never disagree.
     */
    async saveEffect(
      tenantId: string,
      programId: string,
      e: Omit<EffectRow, 'estimatedAt'>,
      people: readonly PersonImprovement[] = [],
    ): Promise<void> {
      const values = {
        units_per_participant: e.unitsPerParticipant,
        lower: e.lower,
        upper: e.upper,
        participants: e.participants,
        method: e.method,
        note: e.note,
        options: JSON.stringify(e.options ?? {}),
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('program_effect')
          .values({ tenant_id: tenantId, program_id: programId, outcome: e.outcome, ...values })
          .onConflict((oc) =>
            oc
              .columns(['tenant_id', 'program_id', 'outcome'])
              .doUpdateSet({ ...values, estimated_at: new Date() }),
          )
          .execute();
        await trx
          .deleteFrom('program_effect_person')
          .where('tenant_id', '=', tenantId)
          .where('program_id', '=', programId)
          .where('outcome', '=', e.outcome)
          .execute();
        for (let i = 0; i < people.length; i += 5000) {
          await trx
            .insertInto('program_effect_person')
            .values(
              people.slice(i, i + 5000).map((p) => ({
                tenant_id: tenantId,
                program_id: programId,
                outcome: e.outcome,
                person_id: p.personId,
                improvement: p.improvement,
              })),
            )
            .execute();
        }
      });
    },
    /** Person-level contributions of every effect of the program, by outcome, in person id order. */
    async effectPeople(tenantId: string, programId: string): Promise<Map<string, PersonImprovement[]>> {
      const rows = await db
        .selectFrom('program_effect_person')
        .select(['outcome', 'person_id', 'improvement'])
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .orderBy('outcome')
        .orderBy('person_id')
        .execute();
      const out = new Map<string, PersonImprovement[]>();
      for (const r of rows) {
        const list = out.get(r.outcome) ?? [];
        list.push({ personId: r.person_id, improvement: Number(r.improvement) });
        out.set(r.outcome, list);
      }
      return out;
    },
    async effects(tenantId: string, programId: string): Promise<EffectRow[]> {
      const rows = await db
        .selectFrom('program_effect')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .orderBy('outcome')
        .execute();
      return rows.map((r) => ({
        outcome: r.outcome,
        unitsPerParticipant: r.units_per_participant,
        lower: r.lower,
        upper: r.upper,
        participants: r.participants,
        method: r.method as EffectRow['method'],
        note: r.note,
        estimatedAt: r.estimated_at,
        options: r.options as EffectOptions,
      }));
    },
    async insertEvent(tenantId: string, e: Omit<EventRow, 'id'>): Promise<string> {
      const row = await db
        .insertInto('confounding_event')
        .values({
          tenant_id: tenantId,
          program_id: e.programId,
          starts_on: e.startsOn,
          ends_on: e.endsOn,
          title: e.title,
          description: e.description,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    /** Events of the program or tenant-wide, overlapping [from, to] (either bound open when null). */
    async eventsOverlapping(
      tenantId: string,
      programId: string,
      from: string | null,
      to: string | null,
    ): Promise<EventRow[]> {
      let q = db
        .selectFrom('confounding_event')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb.or([eb('program_id', '=', programId), eb('program_id', 'is', null)]));
      if (to) q = q.where('starts_on', '<=', to);
      if (from) q = q.where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', from)]));
      const rows = await q.orderBy('starts_on').execute();
      return rows.map((r) => ({
        id: r.id,
        programId: r.program_id,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        title: r.title,
        description: r.description,
      }));
    },
    async insertEvidence(tenantId: string, programId: string, e: Omit<EvidenceRow, 'id'>): Promise<string> {
      const row = await db
        .insertInto('program_evidence')
        .values({
          tenant_id: tenantId,
          program_id: programId,
          kind: e.kind,
          title: e.title,
          body_html: e.bodyHtml,
          author: e.author,
          recorded_on: e.recordedOn,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async evidence(tenantId: string, programId: string): Promise<EvidenceRow[]> {
      const rows = await db
        .selectFrom('program_evidence')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .orderBy('recorded_on', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        bodyHtml: r.body_html,
        author: r.author,
        recordedOn: r.recorded_on,
      }));
    },
    /**
     * Keeps a report. A scheduled snapshot (with `scheduledFor`) is taken once per program, kind and
     * day: a second attempt returns undefined and adds nothing.
     */
    async insertSnapshot(
      tenantId: string,
      programId: string,
      report: unknown,
      meta: NewSnapshot = {},
    ): Promise<SnapshotRow | undefined> {
      const row = await db
        .insertInto('roi_snapshot')
        .values({
          tenant_id: tenantId,
          program_id: programId,
          report: JSON.stringify(report),
          kind: meta.kind ?? 'manual',
          scheduled_for: meta.scheduledFor ?? null,
          data_as_of: meta.dataAsOf ?? null,
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'program_id', 'kind', 'scheduled_for'])
            .where('scheduled_for', 'is not', null)
            .doNothing(),
        )
        .returningAll()
        .executeTakeFirst();
      return row && toSnapshot(row);
    },
    /** A program's snapshots, newest first. */
    async snapshots(tenantId: string, programId: string): Promise<SnapshotRow[]> {
      const rows = await db
        .selectFrom('roi_snapshot')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .orderBy('taken_at', 'desc')
        .execute();
      return rows.map(toSnapshot);
    },
    async snapshot(tenantId: string, programId: string, id: string): Promise<SnapshotRow | undefined> {
      const row = await db
        .selectFrom('roi_snapshot')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toSnapshot(row);
    },
  };
}

export type ProgramEconomicsRepository = ReturnType<typeof createProgramEconomicsRepository>;
