/**
 * Writing prepared statement requests inside a transaction, one request or a group of them (group
 * commit, statement-batcher.ts). The outcome is what storing the requests one after another, in the
 * order they are written (see writeOrder), would give: an id already stored (or stored by an earlier request of the group) with the same
 * content is a no-op, with different content the request is a conflict (xAPI Communication 2.1.1);
 * voiding a voiding statement is refused (xAPI Data 2.3.2). A request that fails is reported, not
 * thrown, so the caller can roll back and store the others without it.
 */
import type { Transaction } from 'kysely';
import { ConflictError, ValidationError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import type { XapiStatementRepository } from '../../storage/repositories/xapi-statement-repository.js';
import {
  compareStatements,
  isJsonObject,
  parseJsonLossless,
  serializeJson,
  type JsonObject,
} from '../rules/index.js';
import { mergeActivityDefinition } from './activity-merge.js';
import { VOIDED_VERB, type StatementInsert } from '../model.js';

/** One request's statements, validated and prepared, ready to write. */
export interface PreparedWrite {
  tenantId: string;
  credentialId: string | null;
  rows: StatementInsert[];
  /** Per row, the statement as received, to compare with a stored statement of the same id. */
  received: unknown[];
  batch: boolean;
  /** Activity definitions to merge (empty without the `define` scope). */
  definitions: { id: string; definition: JsonObject }[];
  attachments: { sha2: string; contentType: string; content: Buffer }[];
}

/**
 * Writes `writes` (all of one tenant and credential) in `trx`. Returns the index and error of every
 * request that must fail; when the map is not empty the caller must roll back, since earlier steps
 * wrote the failed requests' rows too.
 */
export async function writeGroup(
  trx: Transaction<Database>,
  repo: XapiStatementRepository,
  writes: PreparedWrite[],
): Promise<Map<number, Error>> {
  const failed = new Map<number, Error>();
  if (writes.length === 0) return failed;
  const { tenantId, credentialId } = writes[0]!;

  // Voiding a voiding statement (stored, or sent by an earlier request of the group) is refused.
  const targets = writes.flatMap((w) => w.rows.flatMap((r) => (r.voidedTarget ? [r.voidedTarget] : [])));
  const voiding = new Set(
    (await repo.findByIds(trx, tenantId, targets)).filter((t) => t.verb_iri === VOIDED_VERB).map((t) => t.id),
  );
  writes.forEach((w, i) => {
    const target = w.rows.find((r) => r.voidedTarget && voiding.has(r.voidedTarget))?.voidedTarget;
    if (target) {
      failed.set(
        i,
        new ValidationError(
          `The statement request is not valid: statement.object.id targets ${target}, itself a voiding statement; a voiding statement cannot be voided (xAPI Data 2.3.2).`,
          [
            {
              path: 'statement.object.id',
              message: `targets ${target}, itself a voiding statement; a voiding statement cannot be voided (xAPI Data 2.3.2)`,
            },
          ],
        ),
      );
    }
    for (const r of w.rows) if (r.verb === VOIDED_VERB) voiding.add(r.id);
  });
  if (failed.size) return failed;

  // One INSERT for the group; an id sent twice in the group belongs to the first request written.
  // Requests are written in the order of their first actor and registration, not of arrival: the
  // KPI triggers lock per-learner rollup rows, and two groups that lock them in one order cannot
  // deadlock each other. (Concurrent requests have no order of their own; a request keeps its own.)
  const owner = new Map<string, number>();
  const unique: StatementInsert[] = [];
  for (const i of writeOrder(writes)) {
    for (const r of writes[i]!.rows) {
      if (owner.has(r.id)) continue;
      owner.set(r.id, i);
      unique.push(r);
    }
  }
  const inserted = await repo.insertStatements(trx, tenantId, credentialId, unique);
  const isExisting = (id: string, i: number) => !inserted.has(id) || owner.get(id) !== i;
  const existingIds = [
    ...new Set(writes.flatMap((w, i) => w.rows.filter((r) => isExisting(r.id, i)).map((r) => r.id))),
  ];
  if (existingIds.length) {
    // Compare with the statements as received: the LRS-set timestamp, stored and version of the new
    // copy must not count as differences.
    const stored = new Map(
      (await repo.findByIds(trx, tenantId, existingIds)).map((row) => [row.id, row.statement]),
    );
    writes.forEach((w, i) => {
      w.rows.forEach((r, index) => {
        if (failed.has(i) || !isExisting(r.id, i)) return;
        const parsed = parseJsonLossless(stored.get(r.id) ?? '{}');
        const comparison = compareStatements(parsed.ok ? parsed.value : {}, w.received[index], {
          root: w.batch ? ['statements', index] : ['statement'],
        });
        if (!comparison.equivalent) {
          failed.set(
            i,
            new ConflictError(
              `A different statement with id ${r.id} is already stored; statements are immutable, so send a new id (xAPI Communication 2.1.1).`,
              comparison.differences,
            ),
          );
        }
      });
    });
    if (failed.size) return failed;
  }

  const voidedTargets = writes.flatMap((w) =>
    w.rows.flatMap((r) => (r.voidedTarget ? [r.voidedTarget] : [])),
  );
  if (voidedTargets.length) await repo.applyVoiding(trx, tenantId, voidedTargets);
  await repo.insertAttachments(
    trx,
    tenantId,
    writes.flatMap((w) => w.attachments),
  );
  await mergeDefinitions(
    trx,
    repo,
    tenantId,
    writes.flatMap((w) => w.definitions),
  );
  return failed;
}

/** Indices of `writes` ordered by their first statement's actor key and registration (stable). */
function writeOrder(writes: PreparedWrite[]): number[] {
  const key = (w: PreparedWrite) => {
    const first = w.rows[0];
    const actor = first?.agents.find((a) => a.usage === 'actor')?.key ?? '';
    return `${actor}\u0000${first?.registration ?? ''}`;
  };
  const keys = writes.map(key);
  return writes.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
}

/** Merges new definitions into the canonical ones in order, writing only those that change. */
async function mergeDefinitions(
  trx: Transaction<Database>,
  repo: XapiStatementRepository,
  tenantId: string,
  definitions: { id: string; definition: JsonObject }[],
): Promise<void> {
  if (definitions.length === 0) return;
  const stored = await repo.findActivities(tenantId, [...new Set(definitions.map((d) => d.id))], trx);
  const current = new Map<string, JsonObject>();
  for (const [iri, text] of stored) {
    const parsed = parseJsonLossless(text);
    if (parsed.ok && isJsonObject(parsed.value)) current.set(iri, parsed.value);
  }
  const changed = new Map<string, string>();
  for (const d of definitions) {
    const merged = mergeActivityDefinition(current.get(d.id), d.definition);
    current.set(d.id, merged);
    const text = serializeJson(merged);
    if (text !== stored.get(d.id)) changed.set(d.id, text);
    else changed.delete(d.id);
  }
  await repo.upsertActivities(trx, tenantId, changed);
}
