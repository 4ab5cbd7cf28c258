import { sql, type Kysely } from 'kysely';

/** Facts that count toward an attempt's score (the pre/post pairs' definition, 0064). */
const ATTEMPT_FACT =
  "f.verb = 'answered' AND f.item_kind IN ('pre', 'post') AND f.success IS NOT NULL AND f.module_id IS NOT NULL";

/**
 * (Re)defines `kpi_statement_capture()`, the trigger on xapi_statement that writes each statement's KPI
 * fact (0060) and follows voiding, with the rollups the fact trigger itself keeps at a given migration:
 * the learner activity rollup by its add function (`learnerAdd`: 0063's weekly one, 0070's daily one),
 * and from 0064 the attempt rollup. With neither, it is 0060's function. Rollups added later keep
 * themselves by triggers on kpi_statement and are not named here.
 */
export async function defineCaptureFunction(
  db: Kysely<unknown>,
  rollups: { learnerAdd?: string; attempts?: boolean },
): Promise<void> {
  const onInsert = [
    rollups.learnerAdd ? `PERFORM ${rollups.learnerAdd}(f, 1);` : '',
    rollups.attempts ? `IF ${ATTEMPT_FACT} THEN PERFORM kpi_attempt_add(f); END IF;` : '',
  ].join(' ');
  const onVoid = [
    rollups.learnerAdd ? `PERFORM ${rollups.learnerAdd}(f, CASE WHEN f.voided THEN -1 ELSE 1 END);` : '',
    rollups.attempts ? `IF ${ATTEMPT_FACT} THEN PERFORM kpi_attempt_recompute(f); END IF;` : '',
  ].join(' ');
  await sql`
    CREATE OR REPLACE FUNCTION kpi_statement_capture() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE f kpi_statement; n integer;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        f := kpi_statement_fact(NEW);
        IF f.statement_id IS NOT NULL THEN
          INSERT INTO kpi_statement VALUES (f.*) ON CONFLICT DO NOTHING;
          GET DIAGNOSTICS n = ROW_COUNT;
          IF n > 0 AND NOT f.voided THEN ${sql.raw(onInsert)} END IF;
        END IF;
      ELSIF NEW.voided IS DISTINCT FROM OLD.voided THEN
        FOR f IN UPDATE kpi_statement SET voided = NEW.voided
            WHERE tenant_id = NEW.tenant_id AND statement_id = NEW.id AND voided IS DISTINCT FROM NEW.voided
            RETURNING * LOOP
          ${sql.raw(onVoid)}
        END LOOP;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
}
