import type { Readable } from 'node:stream';
import type { PersonQueries, PersonRepository } from '../storage/repositories/person-repository.js';
import { resolveColumnMapping } from './column-mapping.js';
import { streamCsv } from './csv-source.js';
import { isBlank, type FieldSpec } from './fields.js';
import { employeeIdField } from './kinds/outcome-kind.js';
import { listRows, ROWS_LISTED } from './quality-report.js';
import { NO_ERASED_EMPLOYEE_IDS, type ErasedEmployeeIds, type Person, type PersonPatch } from './model.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BATCH = 500;

/** The columns of an employee-id <-> LMS-user mapping file. */
export const peopleMappingKind: { name: string; fields: FieldSpec[] } = {
  name: 'people',
  fields: [
    employeeIdField,
    {
      name: 'lms_user_id',
      type: 'text',
      required: false,
      description: "The LMS user's Yardstick id (a UUID), when known.",
      aliases: ['lms_user', 'lms_id', 'user_id'],
    },
    {
      name: 'email',
      type: 'text',
      required: false,
      description: 'Work email; matches a person already known from the LMS when no lms_user_id is given.',
      aliases: ['e_mail', 'mail', 'email_address', 'work_email'],
    },
    {
      name: 'display_name',
      type: 'text',
      required: false,
      description: 'Name shown in reports.',
      aliases: ['name', 'full_name'],
    },
  ],
};

export interface PeopleImportResult {
  /** False when any row had a problem: then nothing was written. */
  applied: boolean;
  rows: number;
  created: number;
  /** People who gained an employee id or an LMS user they lacked. */
  linked: number;
  /** People whose email or name changed. */
  updated: number;
  unchanged: number;
  problems: string[];
}

interface PeopleRow {
  rowNumber: number;
  employeeId: string;
  lmsUserId?: string;
  email?: string;
  displayName?: string;
}

class Rejected extends Error {}

/**
 * Imports the employee-id <-> LMS-user mapping: each row names an employee id and optionally an LMS
 * user id, an email and a name. A row links (or creates) the one person for that employee: found by
 * employee id, by LMS user id, or (without an LMS user id) by email; when these point at different
 * people, or would re-link a person to another employee or LMS user, the row is a conflict. The whole
 * file is applied in one transaction, or nothing when any row has a problem. An employee id erased on
 * request (a tombstone, issue #18) is such a problem.
 */
export function createPeopleImportService(deps: { people: PersonRepository; erased?: ErasedEmployeeIds }) {
  const erased = deps.erased ?? NO_ERASED_EMPLOYEE_IDS;
  return {
    async importCsv(tenantId: string, input: Readable): Promise<PeopleImportResult> {
      const result: PeopleImportResult = {
        applied: false,
        rows: 0,
        created: 0,
        linked: 0,
        updated: 0,
        unchanged: 0,
        problems: [],
      };
      const problems = new Map<string, number[]>();
      const problem = (what: string, row: number) => {
        const rows = problems.get(what) ?? [];
        rows.push(row);
        problems.set(what, rows);
      };
      /** The batch without rows of erased employee ids, each of those recorded as a problem. */
      const refuseErased = async (batch: PeopleRow[]) => {
        const gone = new Set(
          await erased.tombstoned(
            tenantId,
            batch.map((r) => r.employeeId),
          ),
        );
        for (const r of batch.filter((row) => gone.has(row.employeeId)))
          problem(
            `the employee id names a person erased on request (GDPR art. 17); remove the row, or have an admin lift the tombstone ('yardstick person tombstone lift') if the person is back`,
            r.rowNumber,
          );
        return batch.filter((r) => !gone.has(r.employeeId));
      };
      const seenEmployees = new Set<string>();
      const seenLms = new Set<string>();
      try {
        await deps.people.transaction(async (tx) => {
          await streamCsv(input, async (header, records) => {
            const mapping = resolveColumnMapping(peopleMappingKind, header, {});
            const col = (name: string) => mapping.columns.find((c) => c.field.name === name)?.index;
            const [ie, il, im, id] = ['employee_id', 'lms_user_id', 'email', 'display_name'].map(col);
            let batch: PeopleRow[] = [];
            for await (const record of records) {
              result.rows++;
              const cell = (i: number | undefined) =>
                i === undefined || isBlank(record.cells[i]) ? undefined : String(record.cells[i]).trim();
              const row: PeopleRow = {
                rowNumber: record.rowNumber,
                employeeId: cell(ie) ?? '',
                lmsUserId: cell(il)?.toLowerCase(),
                email: cell(im),
                displayName: cell(id),
              };
              if (record.cells.length !== header.length)
                problem('the row has a different number of fields than the header', row.rowNumber);
              else if (!row.employeeId) problem('the column employee_id is empty', row.rowNumber);
              else if (row.lmsUserId && !UUID.test(row.lmsUserId))
                problem('the column lms_user_id is not a UUID', row.rowNumber);
              else if (row.email && !EMAIL.test(row.email))
                problem('the column email is not an email address', row.rowNumber);
              else if (seenEmployees.has(row.employeeId))
                problem('the employee id appears earlier in the file', row.rowNumber);
              else if (row.lmsUserId && seenLms.has(row.lmsUserId))
                problem('the LMS user id appears earlier in the file', row.rowNumber);
              else {
                seenEmployees.add(row.employeeId);
                if (row.lmsUserId) seenLms.add(row.lmsUserId);
                batch.push(row);
              }
              if (batch.length >= BATCH) {
                await applyBatch(tx, tenantId, await refuseErased(batch), result, problem);
                batch = [];
              }
            }
            await applyBatch(tx, tenantId, await refuseErased(batch), result, problem);
          });
          if (problems.size) throw new Rejected();
        });
        result.applied = true;
      } catch (err) {
        if (!(err instanceof Rejected)) throw err;
        result.created = result.linked = result.updated = result.unchanged = 0;
        result.problems = [...problems]
          .sort((a, b) => a[1][0]! - b[1][0]!)
          .map(
            ([what, rows]) =>
              `${what} on ${rows.length === 1 ? 'row' : 'rows'} ${listRows(rows.slice(0, ROWS_LISTED), rows.length)}`,
          );
      }
      return result;
    },
  };
}

export type PeopleImportService = ReturnType<typeof createPeopleImportService>;

async function applyBatch(
  tx: PersonQueries,
  tenantId: string,
  batch: PeopleRow[],
  result: PeopleImportResult,
  problem: (what: string, row: number) => void,
): Promise<void> {
  if (!batch.length) return;
  const [byEmp, byLms, byMail] = await Promise.all([
    tx.findByEmployeeIds(
      tenantId,
      batch.map((r) => r.employeeId),
    ),
    tx.findByLmsUserIds(
      tenantId,
      batch.flatMap((r) => (r.lmsUserId ? [r.lmsUserId] : [])),
    ),
    tx.findByEmails(
      tenantId,
      batch.flatMap((r) => (!r.lmsUserId && r.email ? [r.email] : [])),
    ),
  ]);
  const emp = new Map(byEmp.map((p) => [p.employeeId!, p]));
  const lms = new Map(byLms.map((p) => [p.lmsUserId!, p]));
  const mail = new Map<string, Person[]>();
  for (const p of byMail) mail.set(p.email!.toLowerCase(), [...(mail.get(p.email!.toLowerCase()) ?? []), p]);

  for (const row of batch) {
    const pEmp = emp.get(row.employeeId);
    const pLms = row.lmsUserId ? lms.get(row.lmsUserId) : undefined;
    const mailMatches = !row.lmsUserId && row.email ? (mail.get(row.email.toLowerCase()) ?? []) : [];
    if (mailMatches.length > 1 && !pEmp) {
      problem('the email belongs to more than one person; give the lms_user_id instead', row.rowNumber);
      continue;
    }
    const pMail = mailMatches.length === 1 ? mailMatches[0] : undefined;
    const candidates = [
      ...new Map([pEmp, pLms, pMail].filter((p): p is Person => !!p).map((p) => [p.id, p])).values(),
    ];
    if (candidates.length > 1) {
      problem('the employee id and the LMS user (or email) belong to two different people', row.rowNumber);
      continue;
    }
    const target = candidates[0];
    if (!target) {
      await tx.insert(tenantId, {
        employeeId: row.employeeId,
        lmsUserId: row.lmsUserId,
        email: row.email,
        displayName: row.displayName,
      });
      result.created++;
      continue;
    }
    if (target.employeeId && target.employeeId !== row.employeeId) {
      problem('the LMS user (or email) is already linked to another employee id', row.rowNumber);
      continue;
    }
    if (row.lmsUserId && target.lmsUserId && target.lmsUserId !== row.lmsUserId) {
      problem('the employee is already linked to another LMS user', row.rowNumber);
      continue;
    }
    const patch: PersonPatch = {};
    if (!target.employeeId) patch.employeeId = row.employeeId;
    if (row.lmsUserId && !target.lmsUserId) patch.lmsUserId = row.lmsUserId;
    if (row.email && row.email !== target.email) patch.email = row.email;
    if (row.displayName && row.displayName !== target.displayName) patch.displayName = row.displayName;
    if (Object.keys(patch).length === 0) {
      result.unchanged++;
      continue;
    }
    const updated = await tx.update(tenantId, target.id, patch);
    if (patch.employeeId || patch.lmsUserId) result.linked++;
    else result.updated++;
    emp.set(row.employeeId, updated);
  }
}
